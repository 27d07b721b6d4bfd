import { allocate, type DataArray, type DType, type FloatDType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape, normalizeAxis } from "../shape.js";
import { Tensor } from "../tensor.js";
import type { NumericDType } from "./elementwise-unary.js";
import { normalizeAxes, reducedShape, reductionLayout } from "./reduction-layout.js";

export { logSoftmax, softmax } from "./softmax.js";

/**
 * How one reduction folds a contiguous run `data[start .. start + n)` into
 * one value, per dtype family. Floats accumulate in JS doubles.
 */
interface Reducer {
  name: string;
  float: (data: ArrayLike<number>, start: number, n: number) => number;
  int32?: (data: ArrayLike<number>, start: number, n: number) => number;
  int64?: (data: BigInt64Array, start: number, n: number) => bigint;
  /** Whether reducing zero elements has no answer (max, min). */
  needsElements?: boolean;
}

function reduce<D extends DType>(reducer: Reducer, x: Tensor<D>, axes: readonly number[] | undefined, keepdims: boolean): Tensor<D> {
  const dtype: DType = x.dtype;
  const f = dtype === "float32" || dtype === "float64" ? reducer.float : dtype === "int32" ? reducer.int32 : undefined;
  if (!f && !(dtype === "int64" && reducer.int64)) {
    const allowed = ["float32", "float64", ...(reducer.int32 ? ["int32"] : []), ...(reducer.int64 ? ["int64"] : [])];
    throw new DTypeError(`${reducer.name}: argument x: expected dtype ${allowed.join(" or ")}, got ${dtype}`);
  }
  const reduced = normalizeAxes(axes, x.ndim, reducer.name);
  const { data, outer, inner } = reductionLayout(x, reduced);
  if (reducer.needsElements && inner === 0 && outer > 0) {
    throw new ShapeError(`${reducer.name}: cannot reduce over zero elements (x has shape ${formatShape(x.shape)}, axes [${reduced.join(", ")}])`);
  }
  const out = allocate(x.dtype, outer) as DataArray;
  if (f) {
    for (let o = 0; o < outer; o++) (out as Float64Array)[o] = f(data as Float64Array, o * inner, inner);
  } else {
    for (let o = 0; o < outer; o++) (out as BigInt64Array)[o] = reducer.int64!(data as BigInt64Array, o * inner, inner);
  }
  return new Tensor(x.dtype, reducedShape(x.shape, reduced, keepdims), out as Tensor<D>["data"]);
}

function sumOf(data: ArrayLike<number>, start: number, n: number): number {
  let s = 0;
  for (let i = start; i < start + n; i++) s += data[i];
  return s;
}

function sumInt64(data: BigInt64Array, start: number, n: number): bigint {
  let s = 0n;
  for (let i = start; i < start + n; i++) s += data[i];
  return s;
}

function integerMeanOfEmpty(): never {
  throw new ValueError("mean: integer mean over zero elements");
}

/** Largest element; NaN wins (propagates) as in NumPy and PyTorch. */
function maxOf(data: ArrayLike<number>, start: number, n: number): number {
  let m = -Infinity;
  for (let i = start; i < start + n; i++) {
    const v = data[i];
    if (v > m || v !== v) m = v;
    if (m !== m) return m;
  }
  return m;
}

function minOf(data: ArrayLike<number>, start: number, n: number): number {
  let m = Infinity;
  for (let i = start; i < start + n; i++) {
    const v = data[i];
    if (v < m || v !== v) m = v;
    if (m !== m) return m;
  }
  return m;
}

function extremeInt64(data: BigInt64Array, start: number, n: number, largest: boolean): bigint {
  let m = data[start];
  for (let i = start + 1; i < start + n; i++) if (largest ? data[i] > m : data[i] < m) m = data[i];
  return m;
}

/** log sum exp over a run, shifted by the run's maximum so no exp overflows. */
function logSumExpOf(data: ArrayLike<number>, start: number, n: number): number {
  const m = maxOf(data, start, n);
  // All -Infinity (or empty) gives log 0 = -Infinity; +Infinity or NaN would turn the shift into NaN, and the answer is m.
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let i = start; i < start + n; i++) s += Math.exp(data[i] - m);
  return m + Math.log(s);
}

const SUM: Reducer = { name: "sum", float: sumOf, int32: (d, s, n) => sumOf(d, s, n) | 0, int64: sumInt64 };
const MEAN: Reducer = {
  name: "mean",
  float: (d, s, n) => sumOf(d, s, n) / n,
  // Integer mean truncates toward zero, like integer division.
  int32: (d, s, n) => (n === 0 ? integerMeanOfEmpty() : Math.trunc(sumOf(d, s, n) / n) | 0),
  int64: (d, s, n) => (n === 0 ? integerMeanOfEmpty() : sumInt64(d, s, n) / BigInt(n)),
};
const MAX: Reducer = { name: "max", float: maxOf, int32: maxOf, int64: (d, s, n) => extremeInt64(d, s, n, true), needsElements: true };
const MIN: Reducer = { name: "min", float: minOf, int32: minOf, int64: (d, s, n) => extremeInt64(d, s, n, false), needsElements: true };
const LOG_SUM_EXP: Reducer = { name: "logSumExp", float: logSumExpOf };

/**
 * Sum over `axes` (ONNX ReduceSum). `axes` undefined or empty reduces every
 * axis; negative axes count from the end. int32 sums wrap like C.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * sum(x).item();                 // 21
 * sum(x, [0]).toArray();         // [5, 7, 9]
 * sum(x, [-1], true).shape;      // [2, 1]
 * ```
 */
export function sum<D extends NumericDType>(x: Tensor<D>, axes?: readonly number[], keepdims = false): Tensor<D> {
  return reduce(SUM, x, axes, keepdims);
}

/**
 * Mean over `axes` (ONNX ReduceMean); integer means truncate toward zero.
 * The float mean of zero elements is NaN.
 *
 * @example
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), [1]).toArray(); // [1.5, 3.5]
 * ```
 */
export function mean<D extends NumericDType>(x: Tensor<D>, axes?: readonly number[], keepdims = false): Tensor<D> {
  return reduce(MEAN, x, axes, keepdims);
}

/**
 * Maximum over `axes` (ONNX ReduceMax); NaN propagates. Reducing zero elements is a ShapeError.
 *
 * @example
 * ```ts
 * max(tensor([[1, 5], [7, 2]]), [0]).toArray(); // [7, 5]
 * ```
 */
export function max<D extends NumericDType>(x: Tensor<D>, axes?: readonly number[], keepdims = false): Tensor<D> {
  return reduce(MAX, x, axes, keepdims);
}

/**
 * Minimum over `axes` (ONNX ReduceMin); NaN propagates. Reducing zero elements is a ShapeError.
 *
 * @example
 * ```ts
 * min(tensor([[1, 5], [7, 2]]), [1]).toArray(); // [1, 2]
 * ```
 */
export function min<D extends NumericDType>(x: Tensor<D>, axes?: readonly number[], keepdims = false): Tensor<D> {
  return reduce(MIN, x, axes, keepdims);
}

/**
 * `log(sum(exp(x)))` over `axes` (ONNX ReduceLogSumExp), computed as
 * `m + log(sum(exp(x - m)))` with `m` the maximum, so large inputs do not overflow.
 *
 * @example
 * ```ts
 * logSumExp(tensor([1000, 1000], { dtype: "float64" })).item(); // 1000 + log(2)
 * ```
 */
export function logSumExp<D extends FloatDType>(x: Tensor<D>, axes?: readonly number[], keepdims = false): Tensor<D> {
  return reduce(LOG_SUM_EXP, x, axes, keepdims);
}

/**
 * Index of the largest element along `axis` as int64 (ONNX ArgMax with
 * `select_last_index = 0`): the first occurrence wins ties, and a NaN counts as
 * larger than everything (the first NaN wins), as in NumPy and PyTorch.
 *
 * @example
 * ```ts
 * argMax(tensor([[1, 9, 9], [4, 0, 2]]), 1).toNested();        // [[1n], [0n]]
 * argMax(tensor([[1, 9, 9], [4, 0, 2]]), 0, false).toNested(); // [1n, 0n, 0n]
 * ```
 */
export function argMax(x: Tensor, axis: number, keepdims = true): Tensor<"int64"> {
  const dtype: DType = x.dtype;
  if (dtype === "bool") throw new DTypeError(`argMax: argument x: expected dtype float32, float64, int32 or int64, got bool`);
  const a = normalizeAxis(axis, x.ndim, "argMax: axis");
  const { data, outer, inner } = reductionLayout(x, x.ndim === 0 ? [] : [a]);
  if (inner === 0 && outer > 0) throw new ShapeError(`argMax: axis ${axis} of x with shape ${formatShape(x.shape)} is empty`);
  const out = new BigInt64Array(outer);
  const values = data as ArrayLike<number | bigint>;
  for (let o = 0; o < outer; o++) {
    const start = o * inner;
    let best = 0;
    let bestValue = values[start];
    for (let k = 1; k < inner && bestValue === bestValue; k++) {
      const v = values[start + k];
      if (v > bestValue || v !== v) {
        best = k;
        bestValue = v;
      }
    }
    out[o] = BigInt(best);
  }
  return new Tensor("int64", reducedShape(x.shape, x.ndim === 0 ? [] : [a], keepdims), out);
}
