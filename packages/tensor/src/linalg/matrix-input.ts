import type { FloatDType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../shape.js";
import { Tensor } from "../tensor.js";

/**
 * A matrix argument read into float64 working storage.
 *
 * Every dense routine computes in float64 on a fresh row-major copy, so it may
 * overwrite `data` freely; `dtype` remembers the caller's precision so that
 * results can be handed back in it (float32 in, float32 out).
 */
export interface WorkingMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
  dtype: FloatDType;
}

/**
 * Reads a 2-D float tensor into a float64 copy, checking rank, dtype and that
 * every entry is finite (NaN or Inf would otherwise poison the factorization
 * silently or surface as a misleading "not positive definite").
 *
 * `routine` and `argument` name the caller in messages, e.g. `"cholesky"`, `"a"`.
 */
export function readMatrix(x: Tensor, routine: string, argument: string): WorkingMatrix {
  if (!(x instanceof Tensor)) throw new ValueError(`${routine}: ${argument} must be a Tensor, got ${typeof x}`);
  if (x.dtype !== "float32" && x.dtype !== "float64") {
    throw new DTypeError(`${routine}: ${argument} must be float32 or float64, got ${x.dtype}`);
  }
  if (x.ndim !== 2) {
    throw new ShapeError(`${routine}: ${argument} must be a 2-D matrix, got shape ${formatShape(x.shape)}`);
  }
  const [rows, cols] = x.shape;
  const data = Float64Array.from(x.data as Float32Array | Float64Array);
  assertFinite(data, cols, routine, argument);
  return { data, rows, cols, dtype: x.dtype };
}

/** {@link readMatrix} for routines that need a square matrix. */
export function readSquareMatrix(x: Tensor, routine: string, argument: string): WorkingMatrix {
  const m = readMatrix(x, routine, argument);
  if (m.rows !== m.cols) {
    throw new ShapeError(`${routine}: ${argument} must be square, got shape ${formatShape(x.shape)}`);
  }
  return m;
}

/**
 * A right-hand side `b` of shape `[n]` or `[n, k]`, read as an `n x k` matrix
 * (`k = 1` for a vector). `vector` records which, so the solution takes the
 * same shape as `b`.
 */
export interface RightHandSide extends WorkingMatrix {
  vector: boolean;
}

/** Reads the right-hand side of a solve against a matrix with `n` rows. */
export function readRightHandSide(b: Tensor, n: number, routine: string): RightHandSide {
  if (!(b instanceof Tensor)) throw new ValueError(`${routine}: b must be a Tensor, got ${typeof b}`);
  if (b.ndim !== 1 && b.ndim !== 2) {
    throw new ShapeError(`${routine}: b must have shape [${n}] or [${n}, k], got ${formatShape(b.shape)}`);
  }
  if (b.shape[0] !== n) {
    throw new ShapeError(`${routine}: b must have ${n} rows to match the matrix, got shape ${formatShape(b.shape)}`);
  }
  const vector = b.ndim === 1;
  const m = readMatrix(vector ? b.reshape([n, 1]) : b, routine, "b");
  return { ...m, vector };
}

/** The dtype of a result computed from arguments of dtypes `A` and `B`: float64 if either is, else float32 (NumPy's promotion). */
export type PromotedFloat<A extends FloatDType, B extends FloatDType> = A extends "float64"
  ? "float64"
  : B extends "float64"
    ? "float64"
    : "float32";

/** The runtime counterpart of {@link PromotedFloat}. */
export function resultDType<A extends FloatDType, B extends FloatDType>(a: A, b: B): PromotedFloat<A, B> {
  return (a === "float64" || b === "float64" ? "float64" : "float32") as PromotedFloat<A, B>;
}

/** Wraps float64 working storage as a tensor of `dtype` (rounding to float32 when asked). */
export function toTensor<D extends FloatDType>(data: Float64Array, shape: readonly number[], dtype: D): Tensor<D> {
  if (dtype === "float64") return new Tensor(dtype, shape, data as Tensor<D>["data"]);
  return new Tensor(dtype, shape, Float32Array.from(data) as Tensor<D>["data"]);
}

function assertFinite(data: Float64Array, cols: number, routine: string, argument: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      // v - v is NaN exactly for NaN and +-Infinity: one test for both in the hot loop.
      const at = cols === 0 ? [i] : [Math.floor(i / cols), i % cols];
      throw new ValueError(`${routine}: ${argument} contains ${v} at [${at.join(", ")}]; expected finite values`);
    }
  }
}
