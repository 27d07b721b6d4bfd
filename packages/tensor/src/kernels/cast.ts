import { allocate, isDType, isFloat, type DataArray, type DType } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import { Tensor } from "../tensor.js";

/**
 * Converts `x` to `dtype` with ONNX Cast semantics:
 *
 * - float to integer truncates toward zero; finite values outside the target
 *   range wrap modulo 2^32 / 2^64 (C leaves this undefined); NaN and infinities
 *   have no integer value and throw a ValueError instead of producing garbage;
 * - anything to bool is `x != 0`, so NaN becomes true (as C's `(bool)NaN`);
 * - bool to numbers is 0 / 1; int64 to int32 keeps the low 32 bits exactly.
 *
 * Unlike `Tensor.astype`, which maps NaN to false, this is the kernel of the
 * ONNX Cast operator.
 *
 * @example
 * ```ts
 * cast(tensor([1.9, -1.9, NaN]), "bool").toNested();     // [true, true, true]
 * cast(tensor([1.9, -1.9]), "int64").toNested();          // [1n, -1n]
 * ```
 */
export function cast<E extends DType>(x: Tensor, dtype: E): Tensor<E> {
  if (!isDType(dtype)) throw new DTypeError(`cast: argument dtype: expected float32, float64, int32, int64 or bool, got "${String(dtype)}"`);
  const from: DType = x.dtype;
  const to: DType = dtype;
  if (from === to) return x.clone() as unknown as Tensor<E>;
  const src = x.data;
  const out = allocate(dtype, x.size) as DataArray;
  if (to === "bool") {
    const dst = out as Uint8Array;
    // `v !== 0` on a number is true for NaN; on a bigint it compares with 0n below.
    if (from === "int64") for (let i = 0; i < src.length; i++) dst[i] = (src as BigInt64Array)[i] !== 0n ? 1 : 0;
    else for (let i = 0; i < src.length; i++) dst[i] = (src as Float64Array)[i] !== 0 ? 1 : 0;
  } else if (from === "int64") {
    const s = src as BigInt64Array;
    if (to === "int32") for (let i = 0; i < s.length; i++) (out as Int32Array)[i] = Number(BigInt.asIntN(32, s[i]));
    else for (let i = 0; i < s.length; i++) (out as Float64Array)[i] = Number(s[i]);
  } else if (isFloat(from) && !isFloat(to)) {
    const s = src as Float64Array;
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!Number.isFinite(v)) throw new ValueError(`cast: element ${i} is ${v}, which has no ${to} value`);
      if (to === "int64") (out as BigInt64Array)[i] = BigInt(Math.trunc(v));
      else (out as Int32Array)[i] = v; // Int32Array stores ToInt32(v): truncation, then wrap modulo 2^32
    }
  } else if (to === "int64") {
    const s = src as Int32Array | Uint8Array;
    for (let i = 0; i < s.length; i++) (out as BigInt64Array)[i] = BigInt(s[i]);
  } else {
    // Between float32, float64, int32 and from bool: the typed array's store converts (rounding to float32 once).
    (out as Float64Array).set(src as Float64Array);
  }
  return new Tensor(dtype, x.shape, out as Tensor<E>["data"]);
}
