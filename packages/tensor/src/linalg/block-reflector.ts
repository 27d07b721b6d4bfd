import { gemmInto } from "../kernels/gemm-into.js";
import type { Block } from "./products.js";

/**
 * Several Householder reflectors applied as one: the compact WY form
 * `H_0 H_1 ... H_{b-1} = I - V T V^T` with `V` the reflector vectors as
 * columns and `T` upper triangular (Schreiber & Van Loan 1989; Golub & Van
 * Loan, 4th ed., section 5.1.7). Applying it costs two matrix products, so a
 * sequence of rank-1 updates, each streaming the whole matrix through memory,
 * becomes work for the blocked GEMM kernel.
 */
export interface BlockReflector {
  /** `V^T`, `count x length` row-major: row `j` is reflector `j`, zero before its leading 1. */
  vTransposed: Float64Array;
  /** `T`, `count x count` row-major, upper triangular. */
  t: Float64Array;
  length: number;
  count: number;
}

/**
 * Builds `T` for reflectors `H_j = I - taus[j] v_j v_j^T` given as the rows of
 * `vTransposed` (LAPACK's `dlarft`, forward and columnwise):
 * `T[j, j] = tau_j`, `T[0:j, j] = -tau_j T[0:j, 0:j] (V[:, 0:j]^T v_j)`.
 */
export function blockReflector(vTransposed: Float64Array, length: number, count: number, taus: ArrayLike<number>): BlockReflector {
  const t = new Float64Array(count * count);
  const z = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const tau = taus[j];
    const vj = j * length;
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let p = 0, vi = i * length; p < length; p++) dot += vTransposed[vi + p] * vTransposed[vj + p];
      z[i] = dot;
    }
    for (let i = 0; i < j; i++) {
      let sum = 0;
      for (let l = i; l < j; l++) sum += t[i * count + l] * z[l];
      t[i * count + j] = -tau * sum;
    }
    t[j * count + j] = tau;
  }
  return { vTransposed, t, length, count };
}

/**
 * `X <- X (I - V T V^T)^T = X - (X V) T^T V^T` for the `rows x length` block
 * `x`: that is, `X <- X H_{b-1} ... H_1 H_0`.
 */
export function applyTransposedFromRight({ vTransposed, t, length, count }: BlockReflector, x: Block, rows: number): void {
  const xv = new Float64Array(rows * count);
  // X V, with V read as the transpose of the row-major V^T.
  gemmInto(rows, count, length, x.data, x.offset, x.ld, 1, vTransposed, 0, 1, length, xv, 0, count);
  // (X V) T^T in place, row by row: entry j needs entries l >= j of the row, so go left to right.
  for (let i = 0; i < rows; i++) {
    const row = i * count;
    for (let j = 0; j < count; j++) {
      let sum = 0;
      for (let l = j; l < count; l++) sum += xv[row + l] * t[j * count + l];
      xv[row + j] = sum;
    }
  }
  gemmInto(rows, length, count, xv, 0, count, 1, vTransposed, 0, length, 1, x.data, x.offset, x.ld, true, -1);
}
