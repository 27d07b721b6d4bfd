import { DTypeError, ShapeError, Tensor, ValueError, formatShape, shapesEqual, type FloatDType } from "@curv/tensor";
import { sumOfSquares } from "./matrix-arithmetic.js";
import { assertFiniteScalar, assertFloatTensor } from "./operand-checks.js";
import type { RecursiveStructure } from "./recursive-structure.js";
import { StructuredMatrix, type NamedTensor } from "./structured-matrix.js";
import { placeBlock } from "./matrix-blocks.js";

/**
 * What both recursive orientations share (SINGD's recursive templates): a
 * leading structured block A (`b × b`), a trailing structured block C
 * (`(n − b) × (n − b)`) and a dense off-diagonal block B.
 *
 * SINGD implements everything but the projection densely. Here every
 * operation recurses into A and C and treats B with dense products of its
 * size, so the cost follows the sub-structures: for SINGD's four sparse
 * triangular classes (A or C of size 1, the other diagonal) products with a
 * dense `[n, m]` matrix cost O(n·m), with the structure and `fromInner()` O(n).
 *
 * @example
 * ```ts
 * const k = TrilTopLeftDiagonalMatrix.eye(3);
 * k.namedTensors().map(([name]) => name); // ["B", "A.diag", "C.mat"]
 * k.A.structureName;                      // "diagonal"
 * ```
 */
export abstract class RecursiveMatrix<D extends FloatDType = FloatDType> extends StructuredMatrix<D> {
  readonly A: StructuredMatrix<D>;
  readonly B: Tensor<D>;
  readonly C: StructuredMatrix<D>;
  protected readonly family: RecursiveStructure;

  /** Wraps the parts without copying; they must fit `structure` for `n = A.dim + C.dim`. */
  constructor(structure: RecursiveStructure, a: StructuredMatrix<D>, b: Tensor<D>, c: StructuredMatrix<D>) {
    const what = structure.structureName;
    for (const [name, part, expected] of [["A", a, structure.structureA], ["C", c, structure.structureC]] as const) {
      if (!(part instanceof StructuredMatrix) || part.structureName !== expected.structureName) {
        throw new ValueError(`${what}: ${name} must be a ${expected.structureName} matrix, got ${part instanceof StructuredMatrix ? part.structureName : String(part)}`);
      }
    }
    assertFloatTensor(b, `${what}: B`);
    if (a.dtype !== c.dtype || b.dtype !== a.dtype) throw new DTypeError(`${what}: A, B and C must share a dtype, got ${a.dtype}, ${b.dtype}, ${c.dtype}`);
    const dim = a.dim + c.dim;
    if (structure.boundary(dim) !== a.dim) {
      throw new ShapeError(`${what}: for n = ${dim}, A must be ${structure.boundary(dim)} × ${structure.boundary(dim)}, got ${a.dim} × ${a.dim}`);
    }
    if (!shapesEqual(b.shape, structure.offDiagonalShape(dim))) {
      throw new ShapeError(`${what}: for n = ${dim}, B must have shape ${formatShape(structure.offDiagonalShape(dim))}, got ${formatShape(b.shape)}`);
    }
    super(a.dtype, dim);
    this.family = structure;
    this.A = a;
    this.B = b;
    this.C = c;
  }

  /** The same structure with other parts. */
  protected abstract withParts(a: StructuredMatrix<D>, b: Tensor<D>, c: StructuredMatrix<D>): this;

  /** Where B's top-left corner sits in the dense matrix. */
  protected abstract offDiagonalOrigin(): [row: number, column: number];

  get structure(): RecursiveStructure {
    return this.family;
  }

  /** B first, then A's tensors, then C's (SINGD's order), named `A.…` and `C.…`. */
  namedTensors(): readonly NamedTensor<D>[] {
    const prefixed = (prefix: string, m: StructuredMatrix<D>) => m.namedTensors().map(([name, t]) => [`${prefix}.${name}`, t] as const);
    return [["B", this.B], ...prefixed("A", this.A), ...prefixed("C", this.C)];
  }

  toDense(): Tensor<D> {
    const out = new Tensor(this.dtype, [this.dim, this.dim]);
    placeBlock(out, 0, 0, this.A.toDense());
    placeBlock(out, this.A.dim, this.A.dim, this.C.toDense());
    const [row, column] = this.offDiagonalOrigin();
    placeBlock(out, row, column, this.B);
    return out;
  }

  clone(): this {
    return this.withParts(this.A.clone(), this.B.clone(), this.C.clone());
  }

  trace(): number {
    return this.A.trace() + this.C.trace();
  }

  diagAddInPlace(value: number): this {
    assertFiniteScalar(value, `${this.structureName}.diagAddInPlace: value`);
    this.A.diagAddInPlace(value);
    this.C.diagAddInPlace(value);
    return this;
  }

  /** `sqrt(‖B‖² + ‖A‖_F² + ‖C‖_F²)`, each sub-block by its own rule. */
  override frobeniusNorm(): number {
    return Math.sqrt(sumOfSquares(this.B) + this.A.frobeniusNorm() ** 2 + this.C.frobeniusNorm() ** 2);
  }
}
