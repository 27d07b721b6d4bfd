import { gemmInto } from "../kernels/gemm-into.js";

/**
 * The matrix products inside the factorizations, in one place, so that they
 * all run on the host GEMM kernel (`kernels/matmul.ts`) and nothing else in
 * linalg multiplies blocks of matrices by hand.
 *
 * Blocks are addressed LAPACK-style inside a larger row-major array: `offset`
 * of the first entry and leading dimension `ld` (the row stride).
 */
export interface Block {
  data: Float64Array;
  offset: number;
  ld: number;
}

/**
 * `C <- C - A B^T` for `C` of `rows x cols`, `A` of `rows x depth`, `B` of
 * `cols x depth`. With `B^T` both operands are read along their rows, which
 * is how every blocked factorization in this folder updates a block from
 * rows it has already finished.
 */
export function subtractProductTransposed(c: Block, a: Block, b: Block, rows: number, cols: number, depth: number): void {
  if (depth === 0) return;
  // B^T is B read with swapped strides: row stride 1, column stride ld.
  gemmInto(rows, cols, depth, a.data, a.offset, a.ld, 1, b.data, b.offset, 1, b.ld, c.data, c.offset, c.ld, true, -1);
}
