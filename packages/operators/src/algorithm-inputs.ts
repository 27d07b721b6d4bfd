import { ShapeError, Tensor, ValueError, formatShape, isFloat, type FloatDType } from "@curv/tensor";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { LinearOperator } from "./linear-operator.js";

// Checks shared by the algorithms on operators (inverses, estimators,
// eigensolvers, spectra): what they accept and the errors that name the
// argument at fault.

/** A matrix the algorithms accept: an operator, or a dense 2-D float tensor (wrapped as a `DenseLinearOperator`). */
export type MatrixLike<D extends FloatDType = FloatDType> = LinearOperator<D> | Tensor<D>;

/** `A` as an operator; a 2-D float tensor is wrapped, anything else is a `ValueError` naming `argument`. */
export function asOperator<D extends FloatDType>(a: MatrixLike<D>, who: string, argument = "A"): LinearOperator<D> {
  if (a instanceof LinearOperator) return a;
  if (a instanceof Tensor) {
    if (!isFloat(a.dtype) || a.ndim !== 2) {
      throw new ValueError(`${who}: ${argument} must be a LinearOperator or a 2-D float tensor, got a ${a.dtype} tensor of shape ${formatShape(a.shape)}`);
    }
    return new DenseLinearOperator(a);
  }
  throw new ValueError(`${who}: ${argument} must be a LinearOperator or a 2-D float tensor, got ${a === null ? "null" : typeof a}`);
}

/** The dimension of a square operator; a `ShapeError` naming `argument` otherwise. */
export function assertSquareOperator(a: LinearOperator, who: string, argument = "A"): number {
  const [rows, cols] = a.shape;
  if (rows !== cols) throw new ShapeError(`${who}: ${argument} must be square, got shape ${formatShape(a.shape)}`);
  return rows;
}

/** An integer `>= min` (and `<= max` when given); a `ValueError` naming `name` otherwise. */
export function checkInteger(value: number, who: string, name: string, min: number, max = Infinity): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new ValueError(`${who}: ${name} must be ${range}, got ${String(value)}`);
  }
  return value;
}

/** A finite number `> 0` (or `>= 0` with `allowZero`); a `ValueError` naming `name` otherwise. */
export function checkPositive(value: number, who: string, name: string, { allowZero = false } = {}): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) throw new ValueError(`${who}: ${name} must be a finite number ${allowZero ? ">= 0" : "> 0"}, got ${String(value)}`);
  return value;
}

/** Throws a `ValueError` if a product holds NaN or ±Infinity; `what` says which product (e.g. "A p at iteration 3"). */
export function assertFiniteProduct(values: ArrayLike<number>, who: string, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ValueError(`${who}: ${what} holds ${values[i]} (entry ${i}); the operator's products must be finite`);
    }
  }
}

/** `[n, K]` values (float64, row-major) as a tensor of `dtype`. */
export function matrixTensor<D extends FloatDType>(values: Float64Array, rows: number, columns: number, dtype: D): Tensor<D> {
  const out = new Tensor(dtype, [rows, columns]);
  (out.data as Float32Array | Float64Array).set(values);
  return out;
}

/** The entries of a float tensor as float64 (a copy). */
export function float64Values(x: Tensor): Float64Array {
  return Float64Array.from(x.data as Float32Array | Float64Array);
}

/**
 * `A X` for `X` given as `[cols, K]` float64 values: one batched `matmat` in
 * the operator's dtype (`rmatmat` with `transpose`), checked for NaN/Inf, back
 * as float64 `[rows, K]` values.
 */
export async function multiplyColumns(
  a: LinearOperator, x: Float64Array, columns: number, who: string, what: string, { transpose = false } = {},
): Promise<Float64Array> {
  const rows = transpose ? a.shape[0] : a.shape[1];
  const operand = matrixTensor(x, rows, columns, a.dtype);
  const y = transpose ? await a.rmatmat(operand) : await a.matmat(operand);
  return finiteFloat64Values(y.data as Float32Array | Float64Array, who, what);
}

/** `float64Values` and `assertFiniteProduct` in one pass (the hot path of the iterative solvers). */
function finiteFloat64Values(data: Float32Array | Float64Array, who: string, what: string): Float64Array {
  const values = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) assertFiniteProduct(data, who, what); // NaN or ±Inf: throws, naming the first bad entry
    values[i] = v;
  }
  return values;
}

/** A `ValueError` naming `argument` unless `a` is a `LinearOperator`. */
export function checkOperator(a: unknown, who: string, argument = "A"): asserts a is LinearOperator {
  if (!(a instanceof LinearOperator)) {
    throw new ValueError(`${who}: ${argument} must be a LinearOperator, got ${a === null ? "null" : typeof a === "object" ? (a.constructor?.name ?? "an object") : typeof a}`);
  }
}
