import type { FloatDType, Tensor } from "@curv/tensor";
import type { StructuredMatrix } from "./structured-matrix.js";

/**
 * A family of structured matrices: what a SINGD structure class offers through
 * its class methods (`from_dense`, `from_mat_inner`, `zeros`, `eye`).
 *
 * Plain structures (`DenseMatrix`, `DiagonalMatrix`, the Toeplitz classes)
 * satisfy this interface with their static methods. Parameterised families
 * (block size, hierarchical `(K1, K2)`, recursive compositions) are objects
 * that carry their parameters, e.g. `Block30DiagonalMatrix` or
 * `new BlockDiagonalStructure(7)`.
 *
 * @example
 * ```ts
 * const structure: Structure = structureFromName("block3diagonal");
 * const k = structure.fromDense(tensor([[1, 2], [2, 4]], { dtype: "float64" }));
 * k.structureName; // "block3diagonal"
 * ```
 */
export interface Structure {
  /** The name SINGD's `structures` argument uses, e.g. `"hierarchical15_15"`. */
  readonly structureName: string;
  /** Π(S): the projection of a square matrix onto the structure (SINGD's `from_dense`). */
  fromDense<D extends FloatDType>(dense: Tensor<D>): StructuredMatrix<D>;
  /** Π(X Xᵀ) for `X` of shape `[n, m]` (SINGD's `from_mat_inner`). */
  fromMatInner<D extends FloatDType>(x: Tensor<D>): StructuredMatrix<D>;
  /** The zero matrix of size `dim` (float64 unless `dtype` says otherwise). */
  zeros<D extends FloatDType = "float64">(dim: number, dtype?: D): StructuredMatrix<D>;
  /** The identity of size `dim` (float64 unless `dtype` says otherwise). */
  eye<D extends FloatDType = "float64">(dim: number, dtype?: D): StructuredMatrix<D>;
}
