import { allocate, isFloat, type DType } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import { sizeOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { broadcastShapesOf, broadcastStrides, forEachBroadcastRow } from "./broadcast.js";
import { assertSameDType } from "./elementwise-binary.js";
import type { NumericDType } from "./elementwise-unary.js";

/**
 * Picks `a` where `condition` is true and `b` elsewhere, broadcasting all three
 * (ONNX Where, NumPy `where`).
 *
 * @example
 * ```ts
 * where(tensor([true, false]), tensor([1, 2]), tensor(0)).toArray(); // [1, 0]
 * ```
 */
export function where<D extends DType>(condition: Tensor<"bool">, a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  if (condition.dtype !== "bool") throw new DTypeError(`where: argument condition: expected dtype bool, got ${condition.dtype}`);
  assertSameDType("where", a, b);
  const shapes = [condition.shape, a.shape, b.shape];
  const outShape = broadcastShapesOf(shapes, "where");
  const out = allocate(a.dtype, sizeOf(outShape)) as Float64Array;
  const c = condition.data;
  const x = a.data as Float64Array;
  const y = b.data as Float64Array;
  const strides = shapes.map((s) => broadcastStrides(s, outShape));
  forEachBroadcastRow(outShape, strides, (o, [ic, ia, ib], n, [sc, sa, sb]) => {
    for (let k = 0; k < n; k++, ic += sc, ia += sa, ib += sb) out[o + k] = c[ic] ? x[ia] : y[ib];
  });
  return new Tensor(a.dtype, outShape, out as unknown as Tensor<D>["data"]);
}

const INT32_RANGE = [-2147483648, 2147483647] as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function clampInt64(v: bigint): bigint {
  return v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v;
}

/**
 * Limits every element to `[min, max]` (ONNX Clip); either bound may be left
 * out. NaN stays NaN; if `min > max` every element becomes `max`, as in NumPy.
 * Integer tensors need integer bounds.
 *
 * @example
 * ```ts
 * clip(tensor([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 * ```
 */
export function clip<D extends NumericDType>(x: Tensor<D>, min?: number, max?: number): Tensor<D> {
  const dtype = x.dtype as DType;
  if (dtype === "bool") throw new DTypeError(`clip: argument x: expected dtype float32, float64, int32 or int64, got bool`);
  for (const [name, bound] of [["min", min], ["max", max]] as const) {
    if (bound === undefined) continue;
    if (Number.isNaN(bound)) throw new ValueError(`clip: argument ${name} must not be NaN`);
    if (!isFloat(dtype) && !Number.isInteger(bound) && Number.isFinite(bound)) {
      throw new ValueError(`clip: argument ${name} must be an integer for dtype ${dtype}, got ${bound}`);
    }
  }
  if (!isFloat(dtype) && (min === Infinity || max === -Infinity)) {
    throw new ValueError(`clip: bounds [${min}, ${max}] exclude every ${dtype} value`);
  }
  const out = x.clone();
  if (dtype === "int64") {
    // Infinite bounds do not constrain an integer; the others are exact bigints.
    // Bounds outside the int64 range are clamped into it, so they cannot wrap on store.
    const lo = min === undefined || min === -Infinity ? undefined : clampInt64(BigInt(min));
    const hi = max === undefined || max === Infinity ? undefined : clampInt64(BigInt(max));
    const data = out.data as BigInt64Array;
    for (let i = 0; i < data.length; i++) {
      if (lo !== undefined && data[i] < lo) data[i] = lo;
      if (hi !== undefined && data[i] > hi) data[i] = hi;
    }
  } else {
    // int32 bounds outside the int32 range are clamped into it, so they cannot wrap on store.
    const range = dtype === "int32" ? INT32_RANGE : ([-Infinity, Infinity] as const);
    const lo = Math.min(Math.max(min ?? -Infinity, range[0]), range[1]);
    const hi = Math.min(Math.max(max ?? Infinity, range[0]), range[1]);
    const data = out.data as Float64Array;
    for (let i = 0; i < data.length; i++) {
      let v = data[i];
      if (v < lo) v = lo;
      if (v > hi) v = hi;
      data[i] = v;
    }
  }
  return out as Tensor<D>;
}

