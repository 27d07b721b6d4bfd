import { eye as denseEye, matmul, Tensor, type FloatDType } from "@curv/tensor";
import { addToDiagonalInPlace, matrixTrace } from "./matrix-arithmetic.js";
import { assertDimension, assertFiniteScalar, assertFloatDType, assertMatrix, assertOperand, assertSquareMatrix } from "./operand-checks.js";
import { timesTranspose, transposeTimes } from "./products.js";
import type { Structure } from "./structure.js";
import { StructuredMatrix, type NamedTensor } from "./structured-matrix.js";

/**
 * An unstructured `n × n` matrix (SINGD's `DenseMatrix`). Π is the identity.
 *
 * Every operation is dense: products cost O(n³) (`matmat` O(n²m)), and
 * `fromInner(X)` is `S Sᵀ` with `S = KᵀX`. Unlike SINGD, `fromDense` copies
 * its argument, so that in-place operations never write into the caller's
 * tensor.
 *
 * @example
 * ```ts
 * const k = DenseMatrix.fromDense(tensor([[1, 2], [3, 4]], { dtype: "float64" }));
 * k.rmatmat(eye(2, 2, "float64")).toNested(); // Kᵀ: [[1, 3], [2, 4]]
 * k.fromInner().toDense().toNested();          // KᵀK: [[10, 14], [14, 20]]
 * ```
 */
export class DenseMatrix<D extends FloatDType = FloatDType> extends StructuredMatrix<D> {
  static readonly structureName = "dense";
  /** The matrix (SINGD's `_mat`), owned by this object. */
  readonly mat: Tensor<D>;

  /** Wraps `mat` without copying; this object then owns it. */
  constructor(mat: Tensor<D>) {
    assertSquareMatrix(mat, "DenseMatrix: mat");
    super(mat.dtype, mat.shape[0]);
    this.mat = mat;
  }

  /** Π(S) = S, copied. */
  static fromDense<D extends FloatDType>(dense: Tensor<D>): DenseMatrix<D> {
    assertSquareMatrix(dense, "DenseMatrix.fromDense: dense");
    return new DenseMatrix(dense.clone());
  }

  /** X Xᵀ. */
  static fromMatInner<D extends FloatDType>(x: Tensor<D>): DenseMatrix<D> {
    assertMatrix(x, "DenseMatrix.fromMatInner: X");
    return new DenseMatrix(timesTranspose(x, x));
  }

  static zeros<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): DenseMatrix<D> {
    assertDimension(dim, "DenseMatrix.zeros: dim");
    assertFloatDType(dtype, "DenseMatrix.zeros: dtype");
    return new DenseMatrix(new Tensor(dtype, [dim, dim]));
  }

  static eye<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): DenseMatrix<D> {
    assertDimension(dim, "DenseMatrix.eye: dim");
    assertFloatDType(dtype, "DenseMatrix.eye: dtype");
    return new DenseMatrix(denseEye(dim, dim, dtype));
  }

  get structure(): Structure {
    return DenseMatrix;
  }

  namedTensors(): readonly NamedTensor<D>[] {
    return [["mat", this.mat]];
  }

  toDense(): Tensor<D> {
    return this.mat.clone();
  }

  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "DenseMatrix.matmat: X");
    return matmul(this.mat, x);
  }

  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "DenseMatrix.rmatmat: X");
    return transposeTimes(this.mat, x);
  }

  matmul(other: this): this {
    this.assertSameStructure(other, "DenseMatrix.matmul");
    return new DenseMatrix(matmul(this.mat, other.mat)) as this;
  }

  clone(): this {
    return new DenseMatrix(this.mat.clone()) as this;
  }

  trace(): number {
    return matrixTrace(this.mat);
  }

  diagAddInPlace(value: number): this {
    assertFiniteScalar(value, "DenseMatrix.diagAddInPlace: value");
    addToDiagonalInPlace(this.mat, value);
    return this;
  }

  protected projectedGram(): this {
    return new DenseMatrix(transposeTimes(this.mat, this.mat)) as this;
  }
}
