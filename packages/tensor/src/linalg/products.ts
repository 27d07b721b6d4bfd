import { gemmInto } from "../kernels/gemm-into.js";

/**
 * A sub-matrix addressed LAPACK-style inside a larger row-major array: `offset`
 * of its first entry and leading dimension `ld` (the row stride). Every block
 * product in linalg runs on the host GEMM kernel (`kernels/gemm-into.ts`);
 * none multiplies blocks by hand.
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
