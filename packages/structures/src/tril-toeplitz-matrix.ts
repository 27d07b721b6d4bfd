import { Tensor, type FloatDType } from "@curv/tensor";
import { assertDimension, assertFloatDType, assertMatrix, assertOperand, assertSquareMatrix } from "./operand-checks.js";
import type { Structure } from "./structure.js";
import { gramDiagonalSums, lowerToeplitzTimes, upperToeplitzTimes } from "./toeplitz-block-products.js";
import { lowerGramDiagonalSums, projectToeplitz, toeplitzFromSymmetricDiagonalSums } from "./toeplitz-kernels.js";
import { ToeplitzMatrix } from "./toeplitz-matrix.js";

/**
 * A lower triangular Toeplitz matrix `T[i, j] = d[i − j]` for `i ≥ j`
 * (SINGD's `TrilToeplitzMatrix`), stored as `d ∈ ℝⁿ`.
 *
 * Closed forms: Π averages diagonals, products with the structure are
 * truncated convolutions (O(n²)), `fromInner()` uses the coefficients alone
 * (O(n²)), and `fromInner(X)` / `fromMatInner(X)` use the autocorrelations of
 * the columns of `KᵀX` / `X` (O(n²·m)); SINGD computes the last three densely.
 * `fromInner2` is two triangular Toeplitz products with an n × n matrix
 * (O(n³), half the work of the dense `KᵀMK`).
 *
 * @example
 * ```ts
 * const k = TrilToeplitzMatrix.fromDense(tensor([[1, 2], [2, 3]], { dtype: "float64" }));
 * k.diagonals.toNested();  // [2, 4]: the mean of the diagonal, and 2·2
 * k.toDense().toNested();  // [[2, 0], [4, 2]]
 * ```
 */
export class TrilToeplitzMatrix<D extends FloatDType = FloatDType> extends ToeplitzMatrix<D> {
  static readonly structureName = "triltoeplitz";

  /** Wraps the coefficients `d` (SINGD's `_lower_diags`) without copying. */
  constructor(diagonals: Tensor<D>) {
    super(diagonals, "TrilToeplitzMatrix");
  }

  /** Π(S): `d₀ = tr(S)/n`, `d_k = (Σ diag_k(S) + Σ diag_{−k}(S))/(n − k)`. */
  static fromDense<D extends FloatDType>(dense: Tensor<D>): TrilToeplitzMatrix<D> {
    assertSquareMatrix(dense, "TrilToeplitzMatrix.fromDense: dense");
    return new TrilToeplitzMatrix(projectToeplitz(dense));
  }

  /** Π(X Xᵀ) from the diagonal sums of X Xᵀ, without forming it. */
  static fromMatInner<D extends FloatDType>(x: Tensor<D>): TrilToeplitzMatrix<D> {
    assertMatrix(x, "TrilToeplitzMatrix.fromMatInner: X");
    return new TrilToeplitzMatrix(toeplitzFromSymmetricDiagonalSums(gramDiagonalSums(x), x.dtype));
  }

  static zeros<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): TrilToeplitzMatrix<D> {
    assertDimension(dim, "TrilToeplitzMatrix.zeros: dim");
    assertFloatDType(dtype, "TrilToeplitzMatrix.zeros: dtype");
    return new TrilToeplitzMatrix(new Tensor(dtype, [dim]));
  }

  static eye<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): TrilToeplitzMatrix<D> {
    return TrilToeplitzMatrix.zeros(dim, dtype).diagAddInPlace(1);
  }

  get structure(): Structure {
    return TrilToeplitzMatrix;
  }

  protected get storageName(): string {
    return "lowerDiagonals";
  }

  toDense(): Tensor<D> {
    return this.denseFromDiagonals((i, j) => i >= j);
  }

  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "TrilToeplitzMatrix.matmat: X");
    return lowerToeplitzTimes(this.diagonals, x);
  }

  /** `Tᵀ X`: Tᵀ is the upper Toeplitz matrix with the same coefficients. */
  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "TrilToeplitzMatrix.rmatmat: X");
    return upperToeplitzTimes(this.diagonals, x);
  }

  protected withDiagonals(diagonals: Tensor<D>): this {
    return new TrilToeplitzMatrix(diagonals) as this;
  }

  protected gramDiagonalSums(): Float64Array {
    return lowerGramDiagonalSums(this.diagonals);
  }
}

