/**
 * `.npy` bytes to a {@link Tensor}.
 *
 * The format is small and fully specified (NumPy's `numpy.lib.format`), so
 * curv reads it itself: that way it handles big-endian and Fortran-order
 * files, int64 as BigInt64Array, and reports every problem as an
 * {@link NpyFormatError} instead of a bare exception from a dependency.
 */
import { allocate, formatShape, sizeOf, Tensor, type DataArray } from "@curv/tensor";
import { isDirectCopy, npyElementType, typedArrayOfBytes, type NpyElementType } from "./npy-dtype.js";
import { NpyFormatError } from "./npy-error.js";
import { readNpyHeader } from "./npy-header.js";

/**
 * Loads a NumPy `.npy` file (format versions 1.0 to 3.0) into a tensor.
 *
 * - dtypes: `<f4` float32, `<f8` float64, `<i4` int32, `<i8` int64, `|b1`
 *   bool; `|u1`, `|i1`, `<i2`, `<u2` load as int32 and `<u4` as int64
 *   (widened losslessly: curv has no narrower integer dtypes).
 * - Big-endian files (`>f4`, ...) are converted to the host's order.
 * - Fortran-order (column-major) files are transposed into curv's row-major
 *   layout, so `get(i, j)` is NumPy's `a[i, j]` either way.
 *
 * @throws {NpyFormatError} when the bytes are not a `.npy` file, the header is
 * corrupt, the dtype is unsupported (complex, strings, objects, structured),
 * or the body is shorter or longer than the shape needs.
 *
 * @example
 * ```ts
 * const x = loadNpy(new Uint8Array(await readFile("X.npy")));
 * x.dtype; // "float32"
 * x.shape; // [8, 7]
 * ```
 */
export function loadNpy(bytes: Uint8Array): Tensor {
  if (!(bytes instanceof Uint8Array)) {
    throw new NpyFormatError(`loadNpy: expected the file bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  }
  const header = readNpyHeader(bytes);
  const element = npyElementType(header.descr);
  const count = sizeOf(header.shape);
  const body = bytes.subarray(header.dataOffset);
  const expected = count * element.itemSize;
  if (body.length !== expected) {
    const problem = body.length < expected ? "is truncated" : "has extra bytes";
    throw new NpyFormatError(
      `.npy file ${problem}: shape ${formatShape(header.shape)} of ${element.descr} needs ${expected} bytes of data, the file has ${body.length}`,
    );
  }
  const data = decodeElements(element, body, count);
  if (!header.fortranOrder || header.shape.length < 2) return new Tensor(element.dtype, header.shape, data);
  // Column-major data of shape S is the row-major data of reversed(S); reversing the axes back gives S in row-major order.
  return new Tensor(element.dtype, [...header.shape].reverse(), data).transpose();
}

function decodeElements(element: NpyElementType, body: Uint8Array, count: number): DataArray {
  if (isDirectCopy(element)) return typedArrayOfBytes(element.dtype, body);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const data = allocate(element.dtype, count);
  for (let i = 0; i < count; i++) (data as unknown as (number | bigint)[])[i] = element.read(view, i, element.littleEndian);
  return data;
}
