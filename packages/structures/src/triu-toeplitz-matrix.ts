import { Tensor, type FloatDType } from "@curv/tensor";
import { assertDimension, assertFloatDType, assertMatrix, assertOperand, assertSquareMatrix } from "./operand-checks.js";
import type { Structure } from "./structure.js";
import { gramDiagonalSums, lowerToeplitzTimes, upperToeplitzTimes } from "./toeplitz-block-products.js";
import { projectToeplitz, toeplitzFromSymmetricDiagonalSums, upperGramDiagonalSums } from "./toeplitz-kernels.js";
import { ToeplitzMatrix } from "./toeplitz-matrix.js";

/**
 * An upper triangular Toeplitz matrix `U[i, j] = d[j − i]` for `j ≥ i`
 * (SINGD's `TriuToeplitzMatrix`), stored as `d ∈ ℝⁿ`; it is the transpose of
 * the {@link TrilToeplitzMatrix} with the same coefficients, and shares its
 * projection rule.
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
 * const k = TriuToeplitzMatrix.fromDense(tensor([[1, 2], [2, 3]], { dtype: "float64" }));
 * k.toDense().toNested();  // [[2, 4], [0, 2]]
 * k.matmul(k).diagonals.toNested(); // [4, 16]
 * ```
 */
export class TriuToeplitzMatrix<D extends FloatDType = FloatDType> extends ToeplitzMatrix<D> {
  static readonly structureName = "triutoeplitz";

  /** Wraps the coefficients `d` (SINGD's `_upper_diags`) without copying. */
  constructor(diagonals: Tensor<D>) {
    super(diagonals, "TriuToeplitzMatrix");
  }

  /** Π(S): `d₀ = tr(S)/n`, `d_k = (Σ diag_k(S) + Σ diag_{−k}(S))/(n − k)`. */
  static fromDense<D extends FloatDType>(dense: Tensor<D>): TriuToeplitzMatrix<D> {
    assertSquareMatrix(dense, "TriuToeplitzMatrix.fromDense: dense");
    return new TriuToeplitzMatrix(projectToeplitz(dense));
  }

  /** Π(X Xᵀ) from the diagonal sums of X Xᵀ, without forming it. */
  static fromMatInner<D extends FloatDType>(x: Tensor<D>): TriuToeplitzMatrix<D> {
    assertMatrix(x, "TriuToeplitzMatrix.fromMatInner: X");
    return new TriuToeplitzMatrix(toeplitzFromSymmetricDiagonalSums(gramDiagonalSums(x), x.dtype));
  }

  static zeros<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): TriuToeplitzMatrix<D> {
    assertDimension(dim, "TriuToeplitzMatrix.zeros: dim");
    assertFloatDType(dtype, "TriuToeplitzMatrix.zeros: dtype");
    return new TriuToeplitzMatrix(new Tensor(dtype, [dim]));
  }

  static eye<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): TriuToeplitzMatrix<D> {
    return TriuToeplitzMatrix.zeros(dim, dtype).diagAddInPlace(1);
  }

  get structure(): Structure {
    return TriuToeplitzMatrix;
  }

  protected get storageName(): string {
    return "upperDiagonals";
  }

  toDense(): Tensor<D> {
    return this.denseFromDiagonals((i, j) => j >= i);
  }

  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "TriuToeplitzMatrix.matmat: X");
    return upperToeplitzTimes(this.diagonals, x);
  }

  /** `Uᵀ X`: Uᵀ is the lower Toeplitz matrix with the same coefficients. */
  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "TriuToeplitzMatrix.rmatmat: X");
    return lowerToeplitzTimes(this.diagonals, x);
  }

  protected withDiagonals(diagonals: Tensor<D>): this {
    return new TriuToeplitzMatrix(diagonals) as this;
  }

  protected gramDiagonalSums(): Float64Array {
    return upperGramDiagonalSums(this.diagonals);
  }
}

