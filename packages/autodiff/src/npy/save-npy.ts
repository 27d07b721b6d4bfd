/**
 * A {@link Tensor} to `.npy` bytes.
 */
import { Tensor, type DataArray } from "@curv/tensor";
import { DESCR_OF_DTYPE } from "./npy-dtype.js";
import { NpyFormatError } from "./npy-error.js";
import { writeNpyHeader } from "./npy-header.js";

/**
 * Encodes a tensor as a NumPy `.npy` file: little-endian, C order, format
 * 1.0 (2.0 only for headers over 64 KiB), so `numpy.load` reads it back
 * with the same dtype (`<f4`, `<f8`, `<i4`, `<i8` or `|b1`) and shape.
 *
 * @throws {NpyFormatError} when `tensor` is not a {@link Tensor}.
 *
 * @example
 * ```ts
 * await writeFileAtomic("theta.npy", saveNpy(tensor([1, 2, 3], { dtype: "float64" })));
 * ```
 */
export function saveNpy(tensor: Tensor): Uint8Array {
  if (!(tensor instanceof Tensor)) {
    throw new NpyFormatError(`saveNpy: expected a Tensor, got ${Object.prototype.toString.call(tensor)}`);
  }
  const header = writeNpyHeader(DESCR_OF_DTYPE[tensor.dtype], tensor.shape);
  const data = tensor.data as DataArray;
  const bytes = new Uint8Array(header.length + data.byteLength);
  bytes.set(header);
  // Typed arrays use the host's byte order, which is little-endian on every CPU Node and the
  // browsers curv supports run on (x86-64, ARM64, wasm), so their bytes are already the body.
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return bytes;
}
