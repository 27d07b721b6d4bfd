/** Index ranges of parameter blocks in the flat parameter vector, and dense slicing by them. */
import { Tensor, type FloatDType } from "@curv/tensor";

/**
 * The flat indices of parameter `i`: `offset_i, ..., offset_i + P_i - 1`,
 * with `offset_i` the sum of the earlier parameters' sizes (the seed's
 * `row_start`, `row_end`).
 *
 * @example
 * ```ts
 * parameterIndices([35, 5, 25], 1);   // [35, 36, 37, 38, 39]
 * ```
 */
export function parameterIndices(paramDims: readonly number[], i: number): number[] {
  const start = paramDims.slice(0, i).reduce((a, b) => a + b, 0);
  return Array.from({ length: paramDims[i] }, (_, k) => start + k);
}

/** `matrix[rows][:, cols]` of a dense matrix, a new `[rows.length, cols.length]` tensor. */
export function denseSubmatrix<D extends FloatDType>(matrix: Tensor<D>, rows: readonly number[], cols: readonly number[]): Tensor<D> {
  const width = matrix.shape[1];
  const out = new Tensor(matrix.dtype, [rows.length, cols.length]);
  rows.forEach((row, i) => cols.forEach((col, j) => (out.data[i * cols.length + j] = matrix.data[row * width + col])));
  return out;
}

/** Block `(i, j)` of a matrix partitioned by parameters (the seed's `extract_block`). */
export function extractBlock<D extends FloatDType>(matrix: Tensor<D>, paramDims: readonly number[], i: number, j: number): Tensor<D> {
  return denseSubmatrix(matrix, parameterIndices(paramDims, i), parameterIndices(paramDims, j));
}
