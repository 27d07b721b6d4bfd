import { Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { linearCombination } from "./matrix-arithmetic.js";
import { rowBlock, subMatrix } from "./matrix-blocks.js";
import { assertDimension, assertFloatDType, assertMatrix, assertSquareMatrix } from "./operand-checks.js";
import { timesTranspose } from "./products.js";
import { RecursiveBottomLeftMatrix } from "./recursive-bottom-left-matrix.js";
import type { RecursiveMatrix } from "./recursive-matrix.js";
import { RecursiveTopRightMatrix } from "./recursive-top-right-matrix.js";
import type { Structure } from "./structure.js";
import type { StructuredMatrix } from "./structured-matrix.js";

/** How a recursive structure is assembled. Give exactly one of `maxDimA` and `maxDimC`. */
export interface RecursiveStructureOptions {
  /** The name of the composed structure, e.g. `"triubottomrightdiagonal"`. */
  structureName: string;
  /** Structure of the leading diagonal block A. */
  structureA: Structure;
  /** Structure of the trailing diagonal block C. */
  structureC: Structure;
  /** A is `min(maxDimA, n)` square (SINGD's `MAX_DIMS = (maxDimA, inf)`). */
  maxDimA?: number;
  /** C is `min(maxDimC, n)` square (SINGD's `MAX_DIMS = (inf, maxDimC)`). */
  maxDimC?: number;
}

/**
 * A structure composed of two structured diagonal blocks `A` (leading) and `C`
 * (trailing) and a dense off-diagonal block `B` (SINGD's
 * `RecursiveTopRightMatrixTemplate` / `RecursiveBottomLeftMatrixTemplate`).
 * The two orientations differ only in where B sits; see
 * {@link RecursiveTopRightStructure} and {@link RecursiveBottomLeftStructure}.
 *
 * @example
 * ```ts
 * TriuTopLeftDiagonalMatrix.boundary(5);        // 4: A is 4 × 4, C is 1 × 1
 * TriuTopLeftDiagonalMatrix.offDiagonalShape(5); // [4, 1]
 * ```
 */
export abstract class RecursiveStructure implements Structure {
  readonly structureName: string;
  readonly structureA: Structure;
  readonly structureC: Structure;
  readonly maxDimA: number | undefined;
  readonly maxDimC: number | undefined;

  constructor({ structureName, structureA, structureC, maxDimA, maxDimC }: RecursiveStructureOptions) {
    if ((maxDimA === undefined) === (maxDimC === undefined)) {
      throw new ValueError(`${structureName}: give exactly one of maxDimA and maxDimC, got ${maxDimA} and ${maxDimC}`);
    }
    const limit = maxDimA ?? maxDimC;
    if (!Number.isInteger(limit) || (limit as number) < 0) {
      throw new ValueError(`${structureName}: the block size limit must be a non-negative integer, got ${limit}`);
    }
    this.structureName = structureName;
    this.structureA = structureA;
    this.structureC = structureC;
    this.maxDimA = maxDimA;
    this.maxDimC = maxDimC;
  }

  /** The size b of A: `min(maxDimA, n)`, or `max(0, n − maxDimC)`. */
  boundary(dim: number): number {
    return this.maxDimA !== undefined ? Math.min(this.maxDimA, dim) : Math.max(0, dim - (this.maxDimC as number));
  }

  /** The shape of B for an `n × n` matrix. */
  abstract offDiagonalShape(dim: number): [number, number];

  /** Builds a matrix of this structure from its parts. */
  abstract assemble<D extends FloatDType>(a: StructuredMatrix<D>, b: Tensor<D>, c: StructuredMatrix<D>): RecursiveMatrix<D>;

  /** B of Π(S) from the upper-right block `S[:b, b:]` and the lower-left block `S[b:, :b]`. */
  protected abstract projectOffDiagonal<D extends FloatDType>(upperRight: Tensor<D>, lowerLeft: Tensor<D>): Tensor<D>;

  /** B of Π(X Xᵀ) from the rows `X_a` of X that A covers and the rows `X_c` that C covers. */
  protected abstract gramOffDiagonal<D extends FloatDType>(xa: Tensor<D>, xc: Tensor<D>): Tensor<D>;

  /** Π(S): `A = Π_A(S[:b, :b])`, `C = Π_C(S[b:, b:])`, B = its block plus the mirrored one. */
  fromDense<D extends FloatDType>(dense: Tensor<D>): RecursiveMatrix<D> {
    assertSquareMatrix(dense, `${this.structureName}.fromDense: dense`);
    const n = dense.shape[0];
    const b = this.boundary(n);
    return this.assemble(
      this.structureA.fromDense(subMatrix(dense, 0, b, 0, b)),
      this.projectOffDiagonal(subMatrix(dense, 0, b, b, n), subMatrix(dense, b, n, 0, b)),
      this.structureC.fromDense(subMatrix(dense, b, n, b, n)),
    );
  }

  /** Π(X Xᵀ) blockwise: `A = Π_A(X_a X_aᵀ)`, `C = Π_C(X_c X_cᵀ)`, B twice the off-diagonal block of X Xᵀ. */
  fromMatInner<D extends FloatDType>(x: Tensor<D>): RecursiveMatrix<D> {
    assertMatrix(x, `${this.structureName}.fromMatInner: X`);
    const b = this.boundary(x.shape[0]);
    const xa = rowBlock(x, 0, b);
    const xc = rowBlock(x, b, x.shape[0]);
    return this.assemble(this.structureA.fromMatInner(xa), this.gramOffDiagonal(xa, xc), this.structureC.fromMatInner(xc));
  }

  zeros<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): RecursiveMatrix<D> {
    assertDimension(dim, `${this.structureName}.zeros: dim`);
    assertFloatDType(dtype, `${this.structureName}.zeros: dtype`);
    const b = this.boundary(dim);
    return this.assemble(this.structureA.zeros(b, dtype), new Tensor(dtype, this.offDiagonalShape(dim)), this.structureC.zeros(dim - b, dtype));
  }

  eye<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): RecursiveMatrix<D> {
    return this.zeros(dim, dtype).diagAddInPlace(1);
  }
}

/**
 * `[[A, B], [0, C]]` with B of shape `[b, n − b]` (SINGD's `RecursiveTopRightMatrixTemplate`).
 *
 * @example
 * ```ts
 * // A dense first row plus a diagonal: SINGD's TriuBottomRightDiagonalMatrix.
 * const structure = new RecursiveTopRightStructure({
 *   structureName: "triubottomrightdiagonal", structureA: DenseMatrix, structureC: DiagonalMatrix, maxDimA: 1,
 * });
 * structure.eye(3).toDense().toNested(); // the 3 × 3 identity
 * ```
 */
export class RecursiveTopRightStructure extends RecursiveStructure {
  offDiagonalShape(dim: number): [number, number] {
    const b = this.boundary(dim);
    return [b, dim - b];
  }

  assemble<D extends FloatDType>(a: StructuredMatrix<D>, b: Tensor<D>, c: StructuredMatrix<D>): RecursiveTopRightMatrix<D> {
    return new RecursiveTopRightMatrix(this, a, b, c);
  }

  protected projectOffDiagonal<D extends FloatDType>(upperRight: Tensor<D>, lowerLeft: Tensor<D>): Tensor<D> {
    return linearCombination([upperRight, lowerLeft.transpose()]);
  }

  protected gramOffDiagonal<D extends FloatDType>(xa: Tensor<D>, xc: Tensor<D>): Tensor<D> {
    return timesTranspose(xa, xc, 2);
  }
}

/**
 * `[[A, 0], [B, C]]` with B of shape `[n − b, b]` (SINGD's `RecursiveBottomLeftMatrixTemplate`).
 *
 * @example
 * ```ts
 * // A dense first column plus a diagonal: SINGD's TrilBottomRightDiagonalMatrix.
 * const structure = new RecursiveBottomLeftStructure({
 *   structureName: "trilbottomrightdiagonal", structureA: DenseMatrix, structureC: DiagonalMatrix, maxDimA: 1,
 * });
 * structure.fromDense(tensor([[1, 2], [3, 4]], { dtype: "float64" })).toDense().toNested(); // [[1, 0], [5, 4]]
 * ```
 */
export class RecursiveBottomLeftStructure extends RecursiveStructure {
  offDiagonalShape(dim: number): [number, number] {
    const b = this.boundary(dim);
    return [dim - b, b];
  }

  assemble<D extends FloatDType>(a: StructuredMatrix<D>, b: Tensor<D>, c: StructuredMatrix<D>): RecursiveBottomLeftMatrix<D> {
    return new RecursiveBottomLeftMatrix(this, a, b, c);
  }

  protected projectOffDiagonal<D extends FloatDType>(upperRight: Tensor<D>, lowerLeft: Tensor<D>): Tensor<D> {
    return linearCombination([lowerLeft, upperRight.transpose()]);
  }

  protected gramOffDiagonal<D extends FloatDType>(xa: Tensor<D>, xc: Tensor<D>): Tensor<D> {
    return timesTranspose(xc, xa, 2);
  }
}
