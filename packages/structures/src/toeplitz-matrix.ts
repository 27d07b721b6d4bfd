import { ShapeError, Tensor, formatShape, type FloatDType } from "@curv/tensor";
import { floatData } from "./matrix-blocks.js";
import { assertFiniteScalar, assertFloatTensor } from "./operand-checks.js";
import type { NamedTensor } from "./structured-matrix.js";
import { StructuredMatrix } from "./structured-matrix.js";
import { toeplitzFromSymmetricDiagonalSums, truncatedConvolution } from "./toeplitz-kernels.js";

/**
 * What lower and upper triangular Toeplitz matrices share: one coefficient
 * per diagonal, `d ∈ ℝⁿ`, so storage is O(n); the projection; the product
 * (a truncated convolution, O(n²)); trace, norms and `diagAddInPlace`, which
 * act on d. See {@link TrilToeplitzMatrix} and {@link TriuToeplitzMatrix}.
 *
 * @example
 * ```ts
 * const k: ToeplitzMatrix = TriuToeplitzMatrix.eye(4);
 * k.diagonals.toNested();   // [1, 0, 0, 0]
 * k.frobeniusNorm();        // 2: four ones on the diagonal
 * ```
 */
export abstract class ToeplitzMatrix<D extends FloatDType = FloatDType> extends StructuredMatrix<D> {
  /** `d_k`, the value on the k-th diagonal below (tril) or above (triu) the main one. Owned by this object. */
  readonly diagonals: Tensor<D>;

  protected constructor(diagonals: Tensor<D>, what: string) {
    assertFloatTensor(diagonals, `${what}: diagonals`);
    if (diagonals.ndim !== 1) throw new ShapeError(`${what}: diagonals must be a vector [n], got shape ${formatShape(diagonals.shape)}`);
    super(diagonals.dtype, diagonals.shape[0]);
    this.diagonals = diagonals;
  }

  /** The same orientation with other coefficients. */
  protected abstract withDiagonals(diagonals: Tensor<D>): this;

  /** The diagonal sums of KᵀK, from which Π(KᵀK) follows. */
  protected abstract gramDiagonalSums(): Float64Array;

  /** The product of two triangular Toeplitz matrices of one orientation: coefficients `d ⊛ d'`, truncated to n. */
  matmul(other: this): this {
    this.assertSameStructure(other, `${this.constructor.name}.matmul`);
    return this.withDiagonals(truncatedConvolution(this.diagonals, other.diagonals));
  }

  clone(): this {
    return this.withDiagonals(this.diagonals.clone());
  }

  /** `n·d₀`. */
  trace(): number {
    return this.dim === 0 ? 0 : this.dim * floatData(this.diagonals)[0];
  }

  /** `d₀`. */
  override averageTrace(): number {
    return this.dim === 0 ? NaN : floatData(this.diagonals)[0];
  }

  /** `d₀ += value`. */
  diagAddInPlace(value: number): this {
    assertFiniteScalar(value, `${this.constructor.name}.diagAddInPlace: value`);
    if (this.dim > 0) floatData(this.diagonals)[0] += value;
    return this;
  }

  /** `sqrt(Σ_k (n − k)·d_k²)`: the k-th diagonal holds n − k copies of d_k. */
  override frobeniusNorm(): number {
    const d = floatData(this.diagonals);
    let s = 0;
    for (let k = 0; k < d.length; k++) s += (this.dim - k) * d[k] * d[k];
    return Math.sqrt(s);
  }

  /** Π(KᵀK) in O(n²) from the coefficients (SINGD builds KᵀK densely). */
  protected projectedGram(): this {
    return this.withDiagonals(toeplitzFromSymmetricDiagonalSums(this.gramDiagonalSums(), this.dtype));
  }

  /** The dense matrix with `d[|i − j|]` where `keep(i, j)`. */
  protected denseFromDiagonals(keep: (i: number, j: number) => boolean): Tensor<D> {
    const n = this.dim;
    const out = new Tensor(this.dtype, [n, n]);
    const d = floatData(this.diagonals);
    const values = floatData(out);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (keep(i, j)) values[i * n + j] = d[Math.abs(i - j)];
    return out;
  }

  namedTensors(): readonly NamedTensor<D>[] {
    return [[this.storageName, this.diagonals]];
  }

  /** SINGD's attribute name of the coefficients. */
  protected abstract get storageName(): string;
}
