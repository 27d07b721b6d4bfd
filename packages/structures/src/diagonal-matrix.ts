import { ShapeError, Tensor, formatShape, type FloatDType } from "@curv/tensor";
import { diagonalMatrixOf, diagonalOf, rowSumsOfSquares, scaleRows } from "./matrix-arithmetic.js";
import { floatData } from "./matrix-blocks.js";
import {
  assertDimension, assertFiniteScalar, assertFloatDType, assertFloatTensor, assertMatrix, assertOperand, assertSquareMatrix,
} from "./operand-checks.js";
import type { Structure } from "./structure.js";
import { StructuredMatrix, type NamedTensor } from "./structured-matrix.js";

/**
 * A diagonal matrix `diag(d)` (SINGD's `DiagonalMatrix`), stored as `d ∈ ℝⁿ`.
 *
 * Everything is closed-form and O(n) per column: `K·X` scales rows,
 * `fromInner(X) = d² ⊙ rowsum(X²)`, `fromInner2(XXT) = d² ⊙ diag(XXT)`.
 *
 * @example
 * ```ts
 * const k = DiagonalMatrix.fromDense(tensor([[1, 5], [5, 2]], { dtype: "float64" }));
 * k.diag.toNested();                       // [1, 2]
 * k.matmat(ones([2, 1], "float64")).toNested(); // [[1], [2]]
 * ```
 */
export class DiagonalMatrix<D extends FloatDType = FloatDType> extends StructuredMatrix<D> {
  static readonly structureName = "diagonal";
  /** The diagonal (SINGD's `_mat_diag`), owned by this object. */
  readonly diag: Tensor<D>;

  /** Wraps the vector `diag` without copying. */
  constructor(diag: Tensor<D>) {
    assertFloatTensor(diag, "DiagonalMatrix: diag");
    if (diag.ndim !== 1) throw new ShapeError(`DiagonalMatrix: diag must be a vector [n], got shape ${formatShape(diag.shape)}`);
    super(diag.dtype, diag.shape[0]);
    this.diag = diag;
  }

  /** Π(S) = diag(diag(S)). */
  static fromDense<D extends FloatDType>(dense: Tensor<D>): DiagonalMatrix<D> {
    assertSquareMatrix(dense, "DiagonalMatrix.fromDense: dense");
    return new DiagonalMatrix(diagonalOf(dense));
  }

  /** Π(X Xᵀ) = diag(rowsum(X²)). */
  static fromMatInner<D extends FloatDType>(x: Tensor<D>): DiagonalMatrix<D> {
    assertMatrix(x, "DiagonalMatrix.fromMatInner: X");
    return new DiagonalMatrix(rowSumsOfSquares(x));
  }

  static zeros<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): DiagonalMatrix<D> {
    assertDimension(dim, "DiagonalMatrix.zeros: dim");
    assertFloatDType(dtype, "DiagonalMatrix.zeros: dtype");
    return new DiagonalMatrix(new Tensor(dtype, [dim]));
  }

  static eye<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): DiagonalMatrix<D> {
    const out = DiagonalMatrix.zeros(dim, dtype);
    floatData(out.diag).fill(1);
    return out;
  }

  get structure(): Structure {
    return DiagonalMatrix;
  }

  namedTensors(): readonly NamedTensor<D>[] {
    return [["diag", this.diag]];
  }

  toDense(): Tensor<D> {
    return diagonalMatrixOf(this.diag);
  }

  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "DiagonalMatrix.matmat: X");
    return scaleRows(this.diag, x);
  }

  /** `Kᵀ X = K X`: a diagonal matrix is symmetric. */
  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "DiagonalMatrix.rmatmat: X");
    return scaleRows(this.diag, x);
  }

  matmul(other: this): this {
    this.assertSameStructure(other, "DiagonalMatrix.matmul");
    return new DiagonalMatrix(this.mapDiagonal((d, i) => d * floatData(other.diag)[i])) as this;
  }

  clone(): this {
    return new DiagonalMatrix(this.diag.clone()) as this;
  }

  trace(): number {
    let s = 0;
    for (const v of floatData(this.diag)) s += v;
    return s;
  }

  diagAddInPlace(value: number): this {
    assertFiniteScalar(value, "DiagonalMatrix.diagAddInPlace: value");
    const d = floatData(this.diag);
    for (let i = 0; i < d.length; i++) d[i] += value;
    return this;
  }

  /** Π(Kᵀ XXT K) = d² ⊙ diag(XXT), in O(n). */
  override fromInner2(xxt: Tensor<D>): this {
    assertSquareMatrix(xxt, "DiagonalMatrix.fromInner2: XXT");
    assertOperand(xxt, this.dim, this.dtype, "DiagonalMatrix.fromInner2: XXT");
    const m = floatData(xxt);
    return new DiagonalMatrix(this.mapDiagonal((d, i) => d * d * m[i * this.dim + i])) as this;
  }

  /** Π(KᵀK) = d². */
  protected projectedGram(): this {
    return new DiagonalMatrix(this.mapDiagonal((d) => d * d)) as this;
  }

  private mapDiagonal(f: (value: number, index: number) => number): Tensor<D> {
    const out = new Tensor(this.dtype, [this.dim]);
    const src = floatData(this.diag);
    const dst = floatData(out);
    for (let i = 0; i < this.dim; i++) dst[i] = f(src[i], i);
    return out;
  }
}
