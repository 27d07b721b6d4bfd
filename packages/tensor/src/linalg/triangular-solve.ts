import type { FloatDType } from "../dtype.js";
import { LinAlgError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { readRightHandSide, readSquareMatrix, resultDType, toTensor, type PromotedFloat } from "./matrix-input.js";

/** Options of {@link solveTriangular} (SciPy's `solve_triangular` with `trans` as a boolean). */
export interface SolveTriangularOptions {
  /** Whether `a` is lower (default) or upper triangular; only that triangle is read. */
  lower?: boolean;
  /** Solve `A^T x = b` instead of `A x = b`. */
  transpose?: boolean;
  /** Take the diagonal of `a` to be ones without reading it. */
  unitDiagonal?: boolean;
}

/**
 * Solves `A x = b` (or `A^T x = b`) for triangular `A` by substitution
 * (Golub & Van Loan, 4th ed., section 3.1). `b` is `[n]` or `[n, k]` and the
 * solution has its shape; the result is float64 if either input is.
 *
 * Throws a `LinAlgError` naming the first zero diagonal entry when `A` is
 * singular, a `ShapeError` on mismatched shapes and a `ValueError` for NaN/Inf.
 *
 * @example
 * ```ts
 * const l = tensor([[2, 0], [1, 4]], { dtype: "float64" });
 * solveTriangular(l, tensor([2, 9], { dtype: "float64" })).toArray();                     // [1, 2]
 * solveTriangular(l, tensor([4, 8], { dtype: "float64" }), { transpose: true }).toArray(); // [1, 2]
 * ```
 */
export function solveTriangular<A extends FloatDType, B extends FloatDType>(
  a: Tensor<A>,
  b: Tensor<B>,
  { lower = true, transpose = false, unitDiagonal = false }: SolveTriangularOptions = {},
): Tensor<PromotedFloat<A, B>> {
  const t = readSquareMatrix(a, "solveTriangular", "a");
  const rhs = readRightHandSide(b, t.rows, "solveTriangular");
  solveTriangularInPlace(t.data, t.rows, rhs.data, rhs.cols, { lower, transpose, unitDiagonal }, "solveTriangular");
  return toTensor(rhs.data, b.shape, resultDType(a.dtype, b.dtype));
}

/**
 * Overwrites the `n x k` row-major `x` (holding `b`) with the solution of
 * `T x = b` or `T^T x = b`, for the `n x n` row-major triangular `t`.
 *
 * Both forms walk `t` along its rows: without transpose, row `i` of `x` is
 * `b_i` minus a combination of the finished rows, weighted by row `i` of `t`
 * (the row-oriented substitution); with transpose, each finished row `x_i`
 * is subtracted at once from all unfinished rows, weighted by row `i` of `t`
 * (the column-oriented substitution of `T^T`). Every update is an axpy on a
 * row of `x`.
 */
export function solveTriangularInPlace(
  t: Float64Array,
  n: number,
  x: Float64Array,
  k: number,
  { lower = true, transpose = false, unitDiagonal = false }: SolveTriangularOptions,
  routine: string,
): void {
  const forward = lower !== transpose; // the effective matrix is lower triangular: solve top to bottom
  for (let step = 0; step < n; step++) {
    const i = forward ? step : n - 1 - step;
    const rowI = i * n;
    if (!transpose) {
      const from = lower ? 0 : i + 1;
      const to = lower ? i : n;
      for (let j = from; j < to; j++) subtractScaledRow(x, i * k, j * k, k, t[rowI + j]);
    }
    if (!unitDiagonal) {
      const pivot = t[rowI + i];
      if (pivot === 0) throw new LinAlgError(`${routine}: the triangular matrix is singular: diagonal entry ${i} is zero`);
      const inverse = 1 / pivot;
      for (let c = 0; c < k; c++) x[i * k + c] *= inverse;
    }
    if (transpose) {
      // x_i is final; T^T[r, i] = t[i, r] for the rows r still to come.
      const from = lower ? 0 : i + 1;
      const to = lower ? i : n;
      for (let r = from; r < to; r++) subtractScaledRow(x, r * k, i * k, k, t[rowI + r]);
    }
  }
}

/** `x[target : target + k] -= scale * x[source : source + k]`. */
function subtractScaledRow(x: Float64Array, target: number, source: number, k: number, scale: number): void {
  if (scale === 0) return;
  for (let c = 0; c < k; c++) x[target + c] -= scale * x[source + c];
}
