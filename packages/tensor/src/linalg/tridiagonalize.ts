import { applyTransposedFromRight, blockReflector } from "./block-reflector.js";
import { householderReflector } from "./householder.js";

/** `A = Q T Q^T` with `T` symmetric tridiagonal, as {@link tridiagonalize} returns it. */
export interface Tridiagonalization {
  /** The diagonal of `T`, length `n`. */
  diagonal: Float64Array;
  /** The sub- (= super-) diagonal of `T`, length `max(n - 1, 0)`: `offDiagonal[i] = T[i + 1, i]`. */
  offDiagonal: Float64Array;
  /** `Q^T`, `n x n` row-major: its rows are the columns of `Q`. */
  qTransposed: Float64Array;
}

/**
 * Householder tridiagonalization of a symmetric matrix (Golub & Van Loan, 4th
 * ed., Algorithm 8.3.1). `a` is an `n x n` row-major matrix of which only
 * the upper triangle is read; it is overwritten.
 *
 * Step `k` reflects row `k` right of the diagonal (equal to column `k` below
 * it, by symmetry) onto its first entry, then applies the two-sided update
 * `B <- H B H = B - v w^T - w v^T` to the trailing block with
 * `p = tau B v`, `w = p - (tau p^T v / 2) v`. Both the product `B v` and the
 * rank-2 update walk rows of the upper triangle of `B`, so every inner loop
 * is contiguous and only half of `B` is touched; the
 * reflector vectors are kept in the rows they came from and `Q^T` is
 * accumulated backward at the end (G&VL section 5.1.6) in blocks of
 * reflectors, so that its flops go through GEMM.
 */
export function tridiagonalize(a: Float64Array, n: number): Tridiagonalization {
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(Math.max(n - 1, 0));
  const taus = new Float64Array(Math.max(n - 2, 0));
  const scratch = new Float64Array(2 * n);
  for (let k = 0; k < n - 2; k++) {
    const rowK = k * n;
    diagonal[k] = a[rowK + k];
    const { tau, alpha } = householderReflector(a, rowK + k + 1, 1, n - k - 1);
    offDiagonal[k] = alpha;
    taus[k] = tau;
    if (tau !== 0) reflectTrailingBlock(a, n, k + 1, rowK + k + 1, tau, scratch);
  }
  if (n >= 2) {
    diagonal[n - 2] = a[(n - 2) * n + n - 2];
    offDiagonal[n - 2] = a[(n - 2) * n + n - 1];
  }
  if (n >= 1) diagonal[n - 1] = a[n * n - 1];
  return { diagonal, offDiagonal, qTransposed: accumulateQTransposed(a, n, taus) };
}

/**
 * `B <- (I - tau v v^T) B (I - tau v v^T)` for the trailing block
 * `B = a[start:, start:]`, reading and writing only its upper triangle;
 * `v = a[vAt : vAt + n - start]`, `p` is scratch.
 *
 * The product `p = tau B v` with one triangle is LAPACK's `dsymv` row form:
 * entry `B_ij` (`j > i`) contributes `B_ij v_j` to `p_i` and `B_ij v_i` to
 * `p_j`, so each row of the triangle is read once, contiguously.
 */
function reflectTrailingBlock(a: Float64Array, n: number, start: number, vAt: number, tau: number, p: Float64Array): void {
  const v = p.subarray(n); // v at absolute indices start..n-1, beside p
  for (let j = start; j < n; j++) {
    v[j] = a[vAt + j - start];
    p[j] = 0;
  }
  for (let i = start; i < n; i++) {
    const row = i * n;
    const vi = v[i];
    let sum = a[row + i] * vi;
    for (let j = i + 1; j < n; j++) {
      const bij = a[row + j];
      sum += bij * v[j];
      p[j] += bij * vi;
    }
    p[i] += sum;
  }
  let pDotV = 0;
  for (let i = start; i < n; i++) {
    p[i] *= tau;
    pDotV += p[i] * v[i];
  }
  const halfTauPDotV = 0.5 * tau * pDotV;
  for (let i = start; i < n; i++) p[i] -= halfTauPDotV * v[i];
  for (let i = start; i < n; i++) {
    const row = i * n;
    const vi = v[i];
    const wi = p[i];
    for (let j = i; j < n; j++) a[row + j] -= vi * p[j] + wi * v[j];
  }
}

/** Reflectors per block when accumulating `Q^T`: wide enough for GEMM to pay off, narrow enough that building `T` stays cheap. */
const REFLECTORS_PER_BLOCK = 32;

/**
 * `Q^T = H_{n-3} ... H_1 H_0`, built right to left, `X <- X H_k` for
 * `k = n-3 ... 0`, one block of reflectors at a time in compact WY form.
 * Before the block starting at `k0` is applied, `X` is the identity outside
 * rows and columns `k0 + 2 ...`, and the block's vectors live in indices
 * `k0 + 1 ...`, so only the trailing block from `k0 + 1` changes.
 */
function accumulateQTransposed(a: Float64Array, n: number, taus: Float64Array): Float64Array {
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  const reflectorCount = taus.length;
  const lastBlockStart = Math.floor(Math.max(reflectorCount - 1, 0) / REFLECTORS_PER_BLOCK) * REFLECTORS_PER_BLOCK;
  for (let k0 = lastBlockStart; k0 >= 0 && reflectorCount > 0; k0 -= REFLECTORS_PER_BLOCK) {
    const count = Math.min(REFLECTORS_PER_BLOCK, reflectorCount - k0);
    const length = n - k0 - 1;
    const vTransposed = new Float64Array(count * length);
    for (let j = 0; j < count; j++) {
      // Reflector k0 + j: zeros, its leading 1 at index k0 + j + 1, then its tail from row k0 + j of `a`.
      const row = j * length;
      vTransposed[row + j] = 1;
      const tail = (k0 + j) * n + k0 + j + 2;
      for (let p = j + 1; p < length; p++) vTransposed[row + p] = a[tail + p - j - 1];
    }
    const block = blockReflector(vTransposed, length, count, taus.subarray(k0, k0 + count));
    applyTransposedFromRight(block, { data: x, offset: (k0 + 1) * n + k0 + 1, ld: n }, length);
  }
  return x;
}
