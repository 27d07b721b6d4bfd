import { DTypeError, ShapeError, ValueError, formatShape, shapesEqual, type FloatDType, type Tensor } from "@curv/tensor";
import { floatData } from "./matrix-blocks.js";
import { assertFiniteScalar, assertOperand, assertSquareMatrix } from "./operand-checks.js";
import type { Structure } from "./structure.js";

/** One stored tensor of a structure and its name, in SINGD's `named_tensors` order. */
export type NamedTensor<D extends FloatDType = FloatDType> = readonly [name: string, tensor: Tensor<D>];

/**
 * An `n × n` matrix stored in a structure (SINGD's `StructuredMatrix`).
 *
 * A structure is a set of matrices closed under addition, scaling and
 * multiplication, with a projection Π onto it (`fromDense`). Π copies the
 * symmetric-type parts (the diagonal, diagonal blocks, dense square blocks)
 * and stores entry plus mirror in strictly triangular off-diagonal parts, so
 * `Π(S)` of a symmetric `S` keeps `2·S_ij` there and `Π(K) = K` for every `K`
 * already in the structure.
 *
 * The state is an ordered list of stored tensors ({@link namedTensors});
 * `addInPlace`, `mulInPlace` and `infinityVectorNorm` act on that list
 * elementwise, as SINGD's `add_`, `mul_` and `infinity_vector_norm` do.
 * Every operation keeps the dtype chosen at construction. In-place operations
 * validate all their arguments before changing anything.
 *
 * @example
 * ```ts
 * const s = tensor([[2, 1], [1, 3]], { dtype: "float64" });
 * const k = TrilToeplitzMatrix.fromDense(s);   // Π(S): diagonals 2.5 and 2
 * k.toDense().toNested();                      // [[2.5, 0], [2, 2.5]]
 * k.matmul(k).structureName;                   // "triltoeplitz"
 * k.fromInner().averageTrace();                // mean of diag(Π(KᵀK))
 * ```
 */
export abstract class StructuredMatrix<D extends FloatDType = FloatDType> {
  /** Element type of every stored tensor and of every result. */
  readonly dtype: D;
  /** The matrix is `dim × dim`. */
  readonly dim: number;

  protected constructor(dtype: D, dim: number) {
    this.dtype = dtype;
    this.dim = dim;
  }

  /** The family this matrix belongs to; it builds siblings (`fromDense`, `zeros`, ...). */
  abstract get structure(): Structure;

  /** The stored tensors in SINGD's order. They are this object's own storage, not copies. */
  abstract namedTensors(): readonly NamedTensor<D>[];

  /** The dense `[n, n]` matrix this object stands for. */
  abstract toDense(): Tensor<D>;

  /** `K · X` for `X` of shape `[n, m]`. */
  abstract matmat(x: Tensor<D>): Tensor<D>;

  /** `Kᵀ · X` for `X` of shape `[n, m]`. */
  abstract rmatmat(x: Tensor<D>): Tensor<D>;

  /** `K · K'` for `K'` of the same structure; the product stays in the structure. */
  abstract matmul(other: this): this;

  /** A deep copy. */
  abstract clone(): this;

  /** `tr(K)`. */
  abstract trace(): number;

  /** `K ← K + value·I`, in place (SINGD's `diag_add_`). Returns `this`. */
  abstract diagAddInPlace(value: number): this;

  /** Π(KᵀK), the `fromInner()` without `X`. */
  protected abstract projectedGram(): this;

  /** SINGD's name of the structure, e.g. `"block30diagonal"`. */
  get structureName(): string {
    return this.structure.structureName;
  }

  /** `[n, n]`. */
  get shape(): readonly [number, number] {
    return [this.dim, this.dim];
  }

  /** Bytes held by the stored tensors. */
  get byteLength(): number {
    return this.namedTensors().reduce((sum, [, t]) => sum + t.data.byteLength, 0);
  }

  /** `tr(K) / n` (SINGD's `average_trace`). */
  averageTrace(): number {
    return this.trace() / this.dim;
  }

  /** `K + K'` for `K'` of the same structure. */
  add(other: this): this {
    return this.clone().combineInPlace(other, 1, "add");
  }

  /** `K − K'` for `K'` of the same structure. */
  sub(other: this): this {
    return this.clone().combineInPlace(other, -1, "sub");
  }

  /** `scalar · K`. */
  mul(scalar: number): this {
    assertFiniteScalar(scalar, "mul: scalar");
    return this.clone().mulInPlace(scalar);
  }

  /** `K ← K + alpha·K'`, in place (SINGD's `add_`). `other` may be `this`. Returns `this`. */
  addInPlace(other: this, alpha = 1): this {
    return this.combineInPlace(other, alpha, "addInPlace");
  }

  /** `K ← scalar·K`, in place (SINGD's `mul_`). Returns `this`. */
  mulInPlace(scalar: number): this {
    assertFiniteScalar(scalar, "mulInPlace: scalar");
    for (const [, t] of this.namedTensors()) {
      const values = floatData(t);
      for (let i = 0; i < values.length; i++) values[i] *= scalar;
    }
    return this;
  }

  /**
   * Π(Kᵀ X Xᵀ K) for `X` of shape `[n, m]`, or Π(KᵀK) when `X` is omitted
   * (SINGD's `from_inner`). SINGD uses it to add `Π(Kᵀ aᵀa K)` to its
   * curvature estimate. Computed as `fromMatInner(Kᵀ X)`, so it costs one
   * `rmatmat` and one structured `fromMatInner`.
   */
  fromInner(x?: Tensor<D>): this {
    if (x === undefined) return this.projectedGram();
    assertOperand(x, this.dim, this.dtype, "fromInner: X");
    return this.structure.fromMatInner(this.rmatmat(x)) as this;
  }

  /**
   * Π(Kᵀ · XXT · K) for a square `XXT` of shape `[n, n]` (SINGD's `from_inner2`).
   * By default this is `Π(Kᵀ (Kᵀ XXTᵀ)ᵀ)`: two `rmatmat`s and a projection, so
   * its cost is that of `rmatmat` with `n` columns; structures with a cheaper
   * closed form override it.
   */
  fromInner2(xxt: Tensor<D>): this {
    assertSquareMatrix(xxt, "fromInner2: XXT");
    assertOperand(xxt, this.dim, this.dtype, "fromInner2: XXT");
    const xxtTimesK = this.rmatmat(xxt.transpose()).transpose();
    return this.structure.fromDense(this.rmatmat(xxtTimesK)) as this;
  }

  /** `‖K‖_F`, from the stored entries. */
  frobeniusNorm(): number {
    let s = 0;
    for (const [, t] of this.namedTensors()) for (const v of floatData(t)) s += v * v;
    return Math.sqrt(s);
  }

  /** The largest `|entry|` over all stored tensors (not the operator ∞-norm); 0 when nothing is stored. */
  infinityVectorNorm(): number {
    let max = 0;
    for (const [, t] of this.namedTensors()) for (const v of floatData(t)) max = Math.max(max, Math.abs(v));
    return max;
  }

  /** Throws unless `other` is a matrix of this structure, size and dtype. */
  protected assertSameStructure(other: unknown, what: string): asserts other is this {
    if (!(other instanceof StructuredMatrix)) {
      throw new ValueError(`${what}: expected a ${this.structureName} matrix, got ${String(other)}`);
    }
    if (other.structureName !== this.structureName) {
      throw new ValueError(`${what}: expected a ${this.structureName} matrix, got a ${other.structureName} matrix`);
    }
    if (other.dim !== this.dim) {
      throw new ShapeError(`${what}: expected a ${this.dim} × ${this.dim} matrix, got ${other.dim} × ${other.dim}`);
    }
    if (other.dtype !== this.dtype) {
      throw new DTypeError(`${what}: expected dtype ${this.dtype}, got ${other.dtype}`);
    }
  }

  /** `this ← this + alpha·other`, after checking everything first so a failure changes nothing. */
  private combineInPlace(other: this, alpha: number, what: string): this {
    this.assertSameStructure(other, what);
    assertFiniteScalar(alpha, `${what}: alpha`);
    const mine = this.namedTensors();
    const theirs = other.namedTensors();
    mine.forEach(([name, t], i) => {
      const o = theirs[i]?.[1];
      if (o === undefined || !shapesEqual(t.shape, o.shape)) {
        throw new ShapeError(`${what}: stored tensor ${name} has shape ${formatShape(t.shape)}, the other's ${o ? formatShape(o.shape) : "is missing"}`);
      }
    });
    mine.forEach(([, t], i) => {
      const values = floatData(t);
      const addend = floatData(theirs[i][1]);
      for (let j = 0; j < values.length; j++) values[j] += alpha * addend[j];
    });
    return this;
  }
}
