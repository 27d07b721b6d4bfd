import { DTypeError, formatShape, matmul, ShapeError, shapesEqual, Tensor, type FloatDType } from "@curv/tensor";
import type { HierarchicalStructure } from "./hierarchical-structure.js";
import {
  addToDiagonalInPlace, columnSumsOfSquares, diagonalMatrixOf, elementwiseProduct, linearCombination, matrixTrace, scaleColumns, scaleRows,
} from "./matrix-arithmetic.js";
import { floatData, placeBlock, rowBlock, stackColumns, stackRows, subMatrix } from "./matrix-blocks.js";
import { assertFiniteScalar, assertFloatTensor, assertOperand } from "./operand-checks.js";
import { transposeTimes } from "./products.js";
import { StructuredMatrix, type NamedTensor } from "./structured-matrix.js";

/** The stored parts of a hierarchical matrix, in SINGD's storage order A, B, C, D, E. */
export interface HierarchicalParts<D extends FloatDType = FloatDType> {
  /** `[K1, K1]`, dense. */
  A: Tensor<D>;
  /** `[K1, d + K2]`, dense: the rest of the leading rows, `[B_C | B_E]`. */
  B: Tensor<D>;
  /** `[d]`, the diagonal of the middle block. */
  C: Tensor<D>;
  /** `[K2, d]`, dense: the trailing rows below the middle block. */
  D: Tensor<D>;
  /** `[K2, K2]`, dense. */
  E: Tensor<D>;
}

const PART_NAMES = ["A", "B", "C", "D", "E"] as const;

/**
 * A hierarchical matrix (SINGD's `HierarchicalMatrixTemplate`): with rows and
 * columns split into blocks `[K1 | d | K2]`,
 *
 * ```
 * [[A, B_C,     B_E],
 *  [0, diag(c), 0  ],
 *  [0, D,       E  ]]
 * ```
 *
 * Storage is O(n·(K1 + K2)). Every operation is closed-form in the blocks:
 * products with a dense `[n, m]` matrix cost O(n·(K1 + K2)·m), with the
 * structure O(n·(K1 + K2)²), `fromInner()` likewise, and `fromInner2` (two
 * `rmatmat`s with `n` columns) O(n²·(K1 + K2)). Block sizes come from
 * {@link HierarchicalStructure.blockDims}.
 *
 * @example
 * ```ts
 * const k = Hierarchical3_2Matrix.eye(6, "float32");
 * k.C.toNested();                            // [1]
 * k.matmul(k).toDense().toNested();          // the identity again
 * ```
 */
export class HierarchicalMatrix<D extends FloatDType = FloatDType> extends StructuredMatrix<D> {
  readonly A: Tensor<D>;
  readonly B: Tensor<D>;
  readonly C: Tensor<D>;
  readonly D: Tensor<D>;
  readonly E: Tensor<D>;
  private readonly family: HierarchicalStructure;

  /** Wraps the parts without copying; their shapes must be those `structure.blockDims(n)` gives. */
  constructor(structure: HierarchicalStructure, parts: HierarchicalParts<D>) {
    for (const name of PART_NAMES) assertFloatTensor(parts[name], `HierarchicalMatrix: ${name}`);
    const dtype = parts.A.dtype;
    for (const name of PART_NAMES) {
      if (parts[name].dtype !== dtype) throw new DTypeError(`HierarchicalMatrix: ${name} is ${parts[name].dtype}, A is ${dtype}`);
    }
    const dim = parts.A.shape[0] + parts.C.shape[0] + parts.E.shape[0];
    const { k1, d, k2 } = structure.blockDims(dim);
    const expected = { A: [k1, k1], B: [k1, d + k2], C: [d], D: [k2, d], E: [k2, k2] };
    for (const name of PART_NAMES) {
      if (!shapesEqual(parts[name].shape, expected[name])) {
        throw new ShapeError(
          `HierarchicalMatrix: for n = ${dim}, ${structure.structureName} needs ${name} of shape ${formatShape(expected[name])}, got ${formatShape(parts[name].shape)}`,
        );
      }
    }
    super(dtype, dim);
    this.family = structure;
    ({ A: this.A, B: this.B, C: this.C, D: this.D, E: this.E } = parts);
  }

  get structure(): HierarchicalStructure {
    return this.family;
  }

  namedTensors(): readonly NamedTensor<D>[] {
    return PART_NAMES.map((name) => [name, this[name]] as const);
  }

  toDense(): Tensor<D> {
    const { k1, d } = this.blockDims();
    const out = new Tensor(this.dtype, [this.dim, this.dim]);
    placeBlock(out, 0, 0, this.A);
    placeBlock(out, 0, k1, this.B);
    placeBlock(out, k1, k1, diagonalMatrixOf(this.C));
    placeBlock(out, k1 + d, k1, this.D);
    placeBlock(out, k1 + d, k1 + d, this.E);
    return out;
  }

  /** `[A X_t + B X_{m,b};  c ⊙ X_m;  D X_m + E X_b]`. */
  matmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "HierarchicalMatrix.matmat: X");
    const { top, middle, bottom } = this.splitRows(x);
    return stackRows([
      linearCombination([matmul(this.A, top), matmul(this.B, rowBlock(x, top.shape[0], this.dim))]),
      scaleRows(this.C, middle),
      linearCombination([matmul(this.D, middle), matmul(this.E, bottom)]),
    ]);
  }

  /** `[Aᵀ X_t;  Bᵀ X_t + [c ⊙ X_m + Dᵀ X_b;  Eᵀ X_b]]`. */
  rmatmat(x: Tensor<D>): Tensor<D> {
    assertOperand(x, this.dim, this.dtype, "HierarchicalMatrix.rmatmat: X");
    const { top, middle, bottom } = this.splitRows(x);
    const rest = stackRows([
      linearCombination([scaleRows(this.C, middle), transposeTimes(this.D, bottom)]),
      transposeTimes(this.E, bottom),
    ]);
    return stackRows([transposeTimes(this.A, top), linearCombination([transposeTimes(this.B, top), rest])]);
  }

  /**
   * `A'' = AA'`, `B'' = A B' + [B_C diag(c') + B_E D', B_E E']`, `c'' = c ⊙ c'`,
   * `D'' = D diag(c') + E D'`, `E'' = E E'`.
   */
  matmul(other: this): this {
    this.assertSameStructure(other, "HierarchicalMatrix.matmul");
    const [bc, be] = this.splitB();
    const mixed = stackColumns([
      linearCombination([scaleColumns(bc, other.C), matmul(be, other.D)]),
      matmul(be, other.E),
    ]);
    return this.withParts({
      A: matmul(this.A, other.A),
      B: linearCombination([matmul(this.A, other.B), mixed]),
      C: elementwiseProduct(this.C, other.C),
      D: linearCombination([scaleColumns(this.D, other.C), matmul(this.E, other.D)]),
      E: matmul(this.E, other.E),
    });
  }

  clone(): this {
    return this.withParts({ A: this.A.clone(), B: this.B.clone(), C: this.C.clone(), D: this.D.clone(), E: this.E.clone() });
  }

  trace(): number {
    let s = matrixTrace(this.A) + matrixTrace(this.E);
    for (const v of floatData(this.C)) s += v;
    return s;
  }

  diagAddInPlace(value: number): this {
    assertFiniteScalar(value, "HierarchicalMatrix.diagAddInPlace: value");
    addToDiagonalInPlace(this.A, value);
    const c = floatData(this.C);
    for (let i = 0; i < c.length; i++) c[i] += value;
    addToDiagonalInPlace(this.E, value);
    return this;
  }

  /**
   * Π(KᵀK): `A' = AᵀA`, `B' = 2AᵀB`, `c' = c² + colsum(B_C²) + colsum(D²)`,
   * `D' = 2(B_EᵀB_C + EᵀD)`, `E' = EᵀE + B_EᵀB_E`.
   */
  protected projectedGram(): this {
    const [bc, be] = this.splitB();
    return this.withParts({
      A: transposeTimes(this.A, this.A),
      B: transposeTimes(this.A, this.B, 2),
      C: linearCombination([elementwiseProduct(this.C, this.C), columnSumsOfSquares(bc), columnSumsOfSquares(this.D)]),
      D: linearCombination([transposeTimes(be, bc), transposeTimes(this.E, this.D)], [2, 2]),
      E: linearCombination([transposeTimes(this.E, this.E), transposeTimes(be, be)]),
    });
  }

  private blockDims() {
    return this.family.blockDims(this.dim);
  }

  private withParts(parts: HierarchicalParts<D>): this {
    return new HierarchicalMatrix(this.family, parts) as this;
  }

  /** `[B_C | B_E]`: the columns of B over the middle block and over the trailing block. */
  private splitB(): [Tensor<D>, Tensor<D>] {
    const { k1, d, k2 } = this.blockDims();
    return [subMatrix(this.B, 0, k1, 0, d), subMatrix(this.B, 0, k1, d, d + k2)];
  }

  private splitRows(x: Tensor<D>): { top: Tensor<D>; middle: Tensor<D>; bottom: Tensor<D> } {
    const { k1, d } = this.blockDims();
    return { top: rowBlock(x, 0, k1), middle: rowBlock(x, k1, k1 + d), bottom: rowBlock(x, k1 + d, this.dim) };
  }
}
