import { DenseMatrix } from "./dense-matrix.js";
import { DiagonalMatrix } from "./diagonal-matrix.js";
import { RecursiveBottomLeftStructure, RecursiveTopRightStructure } from "./recursive-structure.js";

// SINGD's four sparse triangular structures: a diagonal plus one dense row or
// column, built from the recursive templates with a 1 × 1 dense block and a
// diagonal block. For n = 1 the diagonal block is 0 × 0.

/**
 * `[[a, 0], [b, diag]]`: lower triangular with a dense first column
 * (SINGD's `TrilBottomRightDiagonalMatrix`; B has shape `[n − 1, 1]`).
 *
 * @example
 * ```ts
 * TrilBottomRightDiagonalMatrix.fromDense(tensor([[1, 2], [3, 4]], { dtype: "float64" })).toDense().toNested();
 * // [[1, 0], [5, 4]]
 * ```
 */
export const TrilBottomRightDiagonalMatrix = new RecursiveBottomLeftStructure({
  structureName: "trilbottomrightdiagonal",
  structureA: DenseMatrix,
  structureC: DiagonalMatrix,
  maxDimA: 1,
});

/**
 * `[[diag, 0], [bᵀ, c]]`: lower triangular with a dense last row
 * (SINGD's `TrilTopLeftDiagonalMatrix`; B has shape `[1, n − 1]`).
 *
 * @example
 * ```ts
 * TrilTopLeftDiagonalMatrix.fromDense(tensor([[1, 2], [3, 4]], { dtype: "float64" })).toDense().toNested();
 * // [[1, 0], [5, 4]]
 * ```
 */
export const TrilTopLeftDiagonalMatrix = new RecursiveBottomLeftStructure({
  structureName: "triltopleftdiagonal",
  structureA: DiagonalMatrix,
  structureC: DenseMatrix,
  maxDimC: 1,
});

/**
 * `[[a, bᵀ], [0, diag]]`: upper triangular with a dense first row
 * (SINGD's `TriuBottomRightDiagonalMatrix`; B has shape `[1, n − 1]`).
 *
 * @example
 * ```ts
 * TriuBottomRightDiagonalMatrix.fromDense(tensor([[1, 2], [3, 4]], { dtype: "float64" })).toDense().toNested();
 * // [[1, 5], [0, 4]]
 * ```
 */
export const TriuBottomRightDiagonalMatrix = new RecursiveTopRightStructure({
  structureName: "triubottomrightdiagonal",
  structureA: DenseMatrix,
  structureC: DiagonalMatrix,
  maxDimA: 1,
});

/**
 * `[[diag, b], [0, c]]`: upper triangular with a dense last column
 * (SINGD's `TriuTopLeftDiagonalMatrix`; B has shape `[n − 1, 1]`).
 *
 * @example
 * ```ts
 * TriuTopLeftDiagonalMatrix.fromDense(tensor([[1, 2], [3, 4]], { dtype: "float64" })).toDense().toNested();
 * // [[1, 5], [0, 4]]
 * ```
 */
export const TriuTopLeftDiagonalMatrix = new RecursiveTopRightStructure({
  structureName: "triutopleftdiagonal",
  structureA: DiagonalMatrix,
  structureC: DenseMatrix,
  maxDimC: 1,
});
