import type { FloatDType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { luFactorInPlace, luSolveInPlace } from "./lu.js";
import { readRightHandSide, readSquareMatrix, resultDType, toTensor, type PromotedFloat } from "./matrix-input.js";

/**
 * Solves the square system `A x = b` by LU factorization with partial
 * pivoting (NumPy's `solve`); `b` is `[n]` or `[n, k]` and `x` has its shape.
 * Computed in float64; the result is float32 only if both inputs are.
 *
 * Throws a `LinAlgError` if `A` is singular (a zero pivot), a `ShapeError` on
 * mismatched shapes and a `ValueError` for NaN/Inf entries. Nearly singular
 * matrices are solved without warning, as NumPy does: check `cond` yourself
 * where it matters.
 *
 * @example
 * ```ts
 * const a = tensor([[3, 1], [1, 2]], { dtype: "float64" });
 * solve(a, tensor([9, 8], { dtype: "float64" })).toArray(); // [2, 3]
 * ```
 */
export function solve<A extends FloatDType, B extends FloatDType>(a: Tensor<A>, b: Tensor<B>): Tensor<PromotedFloat<A, B>> {
  const { data, rows: n } = readSquareMatrix(a, "solve", "a");
  const rhs = readRightHandSide(b, n, "solve");
  const { pivots } = luFactorInPlace(data, n);
  luSolveInPlace(data, n, pivots, rhs.data, rhs.cols, "solve");
  return toTensor(rhs.data, b.shape, resultDType(a.dtype, b.dtype));
}
