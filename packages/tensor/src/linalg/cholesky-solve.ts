import type { FloatDType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { readRightHandSide, readSquareMatrix, resultDType, toTensor, type PromotedFloat } from "./matrix-input.js";
import { solveTriangularInPlace } from "./triangular-solve.js";

/** Options of {@link choleskySolve}. */
export interface CholeskySolveOptions {
  /** The factor is upper `U` with `U^T U = A` (from `cholesky(a, { upper: true })`) instead of lower `L`. */
  upper?: boolean;
}

/**
 * Solves `A x = b` given the Cholesky factor of `A` (SciPy's `cho_solve`):
 * `L y = b`, then `L^T x = y` (Golub & Van Loan, 4th ed., section 4.2). Only
 * the factor's triangle is read. `b` is `[n]` or `[n, k]`.
 *
 * Throws a `LinAlgError` if the factor has a zero on its diagonal.
 *
 * @example
 * ```ts
 * const a = tensor([[4, 2], [2, 5]], { dtype: "float64" });
 * choleskySolve(cholesky(a), tensor([8, 12], { dtype: "float64" })).toArray(); // [1, 2]
 * ```
 */
export function choleskySolve<A extends FloatDType, B extends FloatDType>(
  factor: Tensor<A>,
  b: Tensor<B>,
  { upper = false }: CholeskySolveOptions = {},
): Tensor<PromotedFloat<A, B>> {
  const { data, rows: n } = readSquareMatrix(factor, "choleskySolve", "factor");
  const rhs = readRightHandSide(b, n, "choleskySolve");
  // With U = L^T the two solves are U^T y = b, then U x = y: the same with the transposes swapped.
  solveTriangularInPlace(data, n, rhs.data, rhs.cols, { lower: !upper, transpose: upper }, "choleskySolve");
  solveTriangularInPlace(data, n, rhs.data, rhs.cols, { lower: !upper, transpose: !upper }, "choleskySolve");
  return toTensor(rhs.data, b.shape, resultDType(factor.dtype, b.dtype));
}
