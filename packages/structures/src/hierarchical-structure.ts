import { Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { HierarchicalMatrix } from "./hierarchical-matrix.js";
import { diagonalOf, linearCombination, rowSumsOfSquares } from "./matrix-arithmetic.js";
import { rowBlock, subMatrix } from "./matrix-blocks.js";
import { assertDimension, assertFloatDType, assertMatrix, assertSquareMatrix } from "./operand-checks.js";
import { timesTranspose } from "./products.js";
import type { Structure } from "./structure.js";

/** Sizes of the three diagonal blocks `[K1 | d | K2]` of a hierarchical matrix. */
export interface HierarchicalBlockDims {
  k1: number;
  d: number;
  k2: number;
}

/**
 * The family of hierarchical matrices with at most `maxK1` dense leading and
 * `maxK2` dense trailing rows (SINGD's `HierarchicalMatrixTemplate` with
 * `MAX_K1`, `MAX_K2`). See {@link HierarchicalMatrix} for the picture.
 *
 * @example
 * ```ts
 * const s = new Generator(0).uniform([6, 6], { dtype: "float64" });
 * const k = Hierarchical3_2Matrix.fromDense(s);
 * Hierarchical3_2Matrix.blockDims(6); // { k1: 3, d: 1, k2: 2 }
 * k.B.shape;                          // [3, 3]
 * ```
 */
export class HierarchicalStructure implements Structure {
  readonly maxK1: number;
  readonly maxK2: number;

  constructor(maxK1: number, maxK2: number) {
    for (const [name, value] of [["maxK1", maxK1], ["maxK2", maxK2]] as const) {
      if (!Number.isInteger(value) || value < 0) {
        throw new ValueError(`HierarchicalStructure: ${name} must be a non-negative integer, got ${value}`);
      }
    }
    this.maxK1 = maxK1;
    this.maxK2 = maxK2;
  }

  get structureName(): string {
    return `hierarchical${this.maxK1}_${this.maxK2}`;
  }

  /**
   * SINGD's `_compute_block_dims`: `n ≤ K1` gives one dense block `(n, 0, 0)`;
   * `n ≤ K1 + K2` gives `(K1, 0, n − K1)`; larger `n` gives `(K1, n − K1 − K2, K2)`.
   */
  blockDims(dim: number): HierarchicalBlockDims {
    if (dim <= this.maxK1) return { k1: dim, d: 0, k2: 0 };
    if (dim <= this.maxK1 + this.maxK2) return { k1: this.maxK1, d: 0, k2: dim - this.maxK1 };
    return { k1: this.maxK1, d: dim - this.maxK1 - this.maxK2, k2: this.maxK2 };
  }

  /**
   * Π(S): `A`, `E` and the middle diagonal `c` are copied; the off-diagonal
   * blocks take entry plus mirror, `B = S[:K1, K1:] + S[K1:, :K1]ᵀ` and
   * `D = S[K1+d:, K1:K1+d] + S[K1:K1+d, K1+d:]ᵀ`. For symmetric S this is
   * SINGD's `2·S[:K1, K1:]` and `2·S[K1+d:, K1:K1+d]`; for other S it is the
   * rule of SINGD's test projection, under which Π(K) = K for structured K.
   */
  fromDense<D extends FloatDType>(dense: Tensor<D>): HierarchicalMatrix<D> {
    assertSquareMatrix(dense, `${this.structureName}.fromDense: dense`);
    const n = dense.shape[0];
    const { k1, d } = this.blockDims(n);
    const o = k1 + d;
    const mirrored = (r0: number, r1: number, c0: number, c1: number) =>
      linearCombination([subMatrix(dense, r0, r1, c0, c1), subMatrix(dense, c0, c1, r0, r1).transpose()]);
    return new HierarchicalMatrix(this, {
      A: subMatrix(dense, 0, k1, 0, k1),
      B: mirrored(0, k1, k1, n),
      C: diagonalOf(dense, k1, o),
      D: mirrored(o, n, k1, o),
      E: subMatrix(dense, o, n, o, n),
    });
  }

  /**
   * Π(X Xᵀ) in closed form: with X split into rows `[S_A; S_C; S_E]`,
   * `A = S_A S_Aᵀ`, `B = 2 S_A [S_C; S_E]ᵀ`, `c = rowsum(S_C²)`,
   * `D = 2 S_E S_Cᵀ`, `E = S_E S_Eᵀ` (SINGD computes this densely).
   */
  fromMatInner<D extends FloatDType>(x: Tensor<D>): HierarchicalMatrix<D> {
    assertMatrix(x, `${this.structureName}.fromMatInner: X`);
    const n = x.shape[0];
    const { k1, d } = this.blockDims(n);
    const top = rowBlock(x, 0, k1);
    const middle = rowBlock(x, k1, k1 + d);
    const bottom = rowBlock(x, k1 + d, n);
    return new HierarchicalMatrix(this, {
      A: timesTranspose(top, top),
      B: timesTranspose(top, rowBlock(x, k1, n), 2),
      C: rowSumsOfSquares(middle),
      D: timesTranspose(bottom, middle, 2),
      E: timesTranspose(bottom, bottom),
    });
  }

  zeros<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): HierarchicalMatrix<D> {
    assertDimension(dim, `${this.structureName}.zeros: dim`);
    assertFloatDType(dtype, `${this.structureName}.zeros: dtype`);
    const { k1, d, k2 } = this.blockDims(dim);
    return new HierarchicalMatrix(this, {
      A: new Tensor(dtype, [k1, k1]),
      B: new Tensor(dtype, [k1, d + k2]),
      C: new Tensor(dtype, [d]),
      D: new Tensor(dtype, [k2, d]),
      E: new Tensor(dtype, [k2, k2]),
    });
  }

  eye<D extends FloatDType = "float64">(dim: number, dtype: D = "float64" as D): HierarchicalMatrix<D> {
    return this.zeros(dim, dtype).diagAddInPlace(1);
  }
}

/** SINGD's `"hierarchical15_15"` (`Hierarchical15_15Matrix`). */
export const Hierarchical15_15Matrix = new HierarchicalStructure(15, 15);

/** `K1 ≤ 3`, `K2 ≤ 2` (SINGD's `Hierarchical3_2Matrix`, used in its tests; n = 3..6 covers every fill case). */
export const Hierarchical3_2Matrix = new HierarchicalStructure(3, 2);
