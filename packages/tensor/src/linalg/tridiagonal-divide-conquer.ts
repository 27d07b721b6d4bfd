import { mergeHalves } from "./rank-one-merge.js";
import { tridiagonalEigen } from "./tridiagonal-eigen.js";

/** Largest block solved directly by QR; LAPACK's `dstedc` uses 25. Below it the recursion costs more than it saves. */
const LEAF_SIZE = 32;

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix `T` with
 * `diagonal` and `offDiagonal`, by Cuppen's divide and conquer (Golub & Van
 * Loan, 4th ed., section 8.5.4; LAPACK's `dstedc` with `dlaed0`-`dlaed4`).
 *
 * `T` is torn at its middle off-diagonal `beta` into two tridiagonal halves
 * plus a rank-one term, `T = diag(T1, T2) + |beta| v v^T` with
 * `v = e_m + sign(beta) e_{m+1}` (so `T1`'s last and `T2`'s first diagonal
 * entry lose `|beta|`); the halves are solved recursively, blocks of at most
 * {@link LEAF_SIZE} by implicit QR, and {@link mergeHalves} solves the
 * rank-one update of their spectra. Almost all flops are the GEMMs of the
 * merges, where accumulating QR's rotations is scalar work.
 *
 * On return `diagonal` holds the eigenvalues in ascending order and the
 * returned `n x n` row-major matrix `U` their unit eigenvectors as columns,
 * `T = U diag(diagonal) U^T`; `offDiagonal` is overwritten.
 */
export function tridiagonalEigenDivideConquer(diagonal: Float64Array, offDiagonal: Float64Array): Float64Array {
  const n = diagonal.length;
  const vectors = new Float64Array(n * n);
  solveBlock(diagonal, offDiagonal, vectors, n, 0, n);
  return vectors;
}

/** Solves the diagonal block `start .. start + size` of `T` into the same block of `vectors`. */
function solveBlock(d: Float64Array, e: Float64Array, vectors: Float64Array, ld: number, start: number, size: number): void {
  if (size <= LEAF_SIZE) {
    solveLeaf(d, e, vectors, ld, start, size);
    return;
  }
  const firstSize = size >> 1;
  const tear = start + firstSize - 1;
  const beta = e[tear];
  d[tear] -= Math.abs(beta);
  d[tear + 1] -= Math.abs(beta);
  solveBlock(d, e, vectors, ld, start, firstSize);
  solveBlock(d, e, vectors, ld, tear + 1, size - firstSize);
  mergeHalves(d, vectors, ld, start, firstSize, size, beta);
}

/** A leaf: implicit QR on the block, its eigenvectors sorted into the block's columns. */
function solveLeaf(d: Float64Array, e: Float64Array, vectors: Float64Array, ld: number, start: number, size: number): void {
  const values = d.slice(start, start + size);
  const rows = new Float64Array(size * size);
  for (let i = 0; i < size; i++) rows[i * size + i] = 1;
  tridiagonalEigen(values, e.slice(start, start + size - 1), rows, size);
  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => values[i] - values[j]);
  order.forEach((source, c) => {
    d[start + c] = values[source];
    for (let r = 0; r < size; r++) vectors[(start + r) * ld + start + c] = rows[source * size + r];
  });
}
