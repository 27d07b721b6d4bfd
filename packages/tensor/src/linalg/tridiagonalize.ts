import { applyTransposedFromRight, blockReflector } from "./block-reflector.js";
import { householderReflector } from "./householder.js";
import type { Block } from "./products.js";

/**
 * `A = Q T Q^T` with `T` symmetric tridiagonal, as {@link tridiagonalize}
 * returns it; `Q = H_0 H_1 ... H_{n-3}` is kept as its reflectors and applied
 * by {@link multiplyByQTransposed} or formed by {@link formQTransposed}.
 */
export interface Tridiagonalization {
  /** The diagonal of `T`, length `n`. */
  diagonal: Float64Array;
  /** The sub- (= super-) diagonal of `T`, length `max(n - 1, 0)`: `offDiagonal[i] = T[i + 1, i]`. */
  offDiagonal: Float64Array;
  /** The reduced `n x n` matrix: row `k` holds reflector `H_k`'s vector after its leading 1, from column `k + 2`. */
  reflectors: Float64Array;
  /** `tau_k` of `H_k = I - tau_k v_k v_k^T`, length `max(n - 2, 0)`. */
  taus: Float64Array;
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
 * is contiguous and only half of `B` is touched. Once the first row of the
 * updated block is final, it gives the next reflector, so the rest of the
 * rank-2 update of step `k` and the product `B v` of step `k + 1` share one
 * pass over the block: for large `n` the reduction is bound by memory
 * traffic, and this halves it. The reflector vectors are kept in the rows
 * they came from; `Q` is only applied or formed on request.
 */
export function tridiagonalize(a: Float64Array, n: number): Tridiagonalization {
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(Math.max(n - 1, 0));
  const taus = new Float64Array(Math.max(n - 2, 0));
  // Reflector and product of the current step, and of the next; indexed by absolute row.
  let v = new Float64Array(n);
  let p = new Float64Array(n);
  let nextV = new Float64Array(n);
  let nextP = new Float64Array(n);
  if (n > 2) {
    reflectRow(a, n, 0, diagonal, offDiagonal, taus, v, p);
    symmetricProduct(a, n, 1, v, p);
    scale(p, 1, n, taus[0]);
  }
  for (let k = 0; k < n - 2; k++) {
    const start = k + 1;
    toRankTwoFactor(p, v, start, n, taus[k]);
    if (start < n - 2) {
      const row = start * n;
      for (let j = start; j < n; j++) a[row + j] -= v[start] * p[j] + p[start] * v[j];
      reflectRow(a, n, start, diagonal, offDiagonal, taus, nextV, nextP);
      updateAndMultiply(a, n, start + 1, v, p, nextV, nextP);
      scale(nextP, start + 1, n, taus[start]);
      [v, nextV] = [nextV, v];
      [p, nextP] = [nextP, p];
    } else {
      rankTwoUpdate(a, n, start, v, p);
    }
  }
  if (n >= 2) {
    diagonal[n - 2] = a[(n - 2) * n + n - 2];
    offDiagonal[n - 2] = a[(n - 2) * n + n - 1];
  }
  if (n >= 1) diagonal[n - 1] = a[n * n - 1];
  return { diagonal, offDiagonal, reflectors: a, taus };
}

/**
 * Step `k`'s reflector from row `k` (final by now): records `T[k, k]`, `alpha`
 * and `tau`, leaves `v` in the row, copies it to `v[k + 1 ..]` and clears
 * `p[k + 1 ..]` for the product to come.
 */
function reflectRow(
  a: Float64Array, n: number, k: number,
  diagonal: Float64Array, offDiagonal: Float64Array, taus: Float64Array, v: Float64Array, p: Float64Array,
): void {
  const rowK = k * n;
  diagonal[k] = a[rowK + k];
  const { tau, alpha } = householderReflector(a, rowK + k + 1, 1, n - k - 1);
  offDiagonal[k] = alpha;
  taus[k] = tau;
  for (let j = k + 1; j < n; j++) {
    v[j] = a[rowK + j];
    p[j] = 0;
  }
}

/** `p[from:] *= factor`. */
function scale(p: Float64Array, from: number, n: number, factor: number): void {
  for (let i = from; i < n; i++) p[i] *= factor;
}

/** `p <- p - (tau p^T v / 2) v` on indices `start ..`: the `w` of the update `B - v w^T - w v^T`. */
function toRankTwoFactor(p: Float64Array, v: Float64Array, start: number, n: number, tau: number): void {
  let pDotV = 0;
  for (let i = start; i < n; i++) pDotV += p[i] * v[i];
  const halfTauPDotV = 0.5 * tau * pDotV;
  for (let i = start; i < n; i++) p[i] -= halfTauPDotV * v[i];
}

/**
 * `p += B v` for the trailing block `B = a[start:, start:]` read from its
 * upper triangle (LAPACK's `dsymv` row form): entry `B_ij` (`j > i`)
 * contributes `B_ij v_j` to `p_i` and `B_ij v_i` to `p_j`, so each row of the
 * triangle is read once, contiguously.
 */
function symmetricProduct(a: Float64Array, n: number, start: number, v: Float64Array, p: Float64Array): void {
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
}

/** `B <- B - v w^T - w v^T` on the upper triangle of `a[start:, start:]`, `w` in `p`. */
function rankTwoUpdate(a: Float64Array, n: number, start: number, v: Float64Array, p: Float64Array): void {
  for (let i = start; i < n; i++) {
    const row = i * n;
    const vi = v[i];
    const wi = p[i];
    for (let j = i; j < n; j++) a[row + j] -= vi * p[j] + wi * v[j];
  }
}

/**
 * {@link rankTwoUpdate} and then {@link symmetricProduct} with the next
 * reflector `nextV`, fused: each entry is updated and at once used for
 * `nextP += B nextV`, in one pass over rows `start ..`. Rows go in pairs
 * that share every load of `v`, `w`, `nextV` and `nextP`.
 */
function updateAndMultiply(
  a: Float64Array, n: number, start: number,
  v: Float64Array, w: Float64Array, nextV: Float64Array, nextP: Float64Array,
): void {
  let i = start;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    const v0 = v[i], w0 = w[i], u0 = nextV[i];
    const v1 = v[i + 1], w1 = w[i + 1], u1 = nextV[i + 1];
    const b00 = a[r0 + i] - (v0 * w0 + w0 * v0);
    const b01 = a[r0 + i + 1] - (v0 * w1 + w0 * v1);
    const b11 = a[r1 + i + 1] - (v1 * w1 + w1 * v1);
    a[r0 + i] = b00;
    a[r0 + i + 1] = b01;
    a[r1 + i + 1] = b11;
    let sum0 = b00 * u0 + b01 * u1;
    let sum1 = b01 * u0 + b11 * u1;
    for (let j = i + 2; j < n; j++) {
      const vj = v[j], wj = w[j], uj = nextV[j];
      const b0 = a[r0 + j] - (v0 * wj + w0 * vj);
      const b1 = a[r1 + j] - (v1 * wj + w1 * vj);
      a[r0 + j] = b0;
      a[r1 + j] = b1;
      sum0 += b0 * uj;
      sum1 += b1 * uj;
      nextP[j] += b0 * u0 + b1 * u1;
    }
    nextP[i] += sum0;
    nextP[i + 1] += sum1;
  }
  if (i < n) {
    const at = i * n + i;
    const bii = a[at] - 2 * v[i] * w[i];
    a[at] = bii;
    nextP[i] += bii * nextV[i];
  }
}

/** Reflectors per block when applying `Q`: wide enough for GEMM to pay off, narrow enough that building `T` stays cheap. */
const REFLECTORS_PER_BLOCK = 32;

/**
 * `X <- X Q^T = X H_{n-3} ... H_1 H_0` for the `rows x n` row-major `x`,
 * right to left, one block of reflectors at a time in compact WY form
 * (G&VL section 5.1.7), so that the flops go through GEMM. With `X = U^T`
 * for the eigenvectors `U` of `T` as columns, the rows of the result are the
 * eigenvectors `Q u` of `A`: LAPACK's `dormtr` back-transformation, about
 * `2 rows n^2` flops.
 */
export function multiplyByQTransposed(reduction: Tridiagonalization, x: Float64Array, rows: number): void {
  applyBlocksFromRight(reduction, (k0) => ({ block: { data: x, offset: k0 + 1, ld: reduction.diagonal.length }, rows }));
}

/**
 * `Q^T` itself, `n x n` row-major (its rows are the columns of `Q`), built as
 * `I Q^T` backward (G&VL section 5.1.6): before the block starting at `k0`
 * is applied, `X` is the identity outside rows and columns `k0 + 2 ...`, and
 * the block's vectors live in indices `k0 + 1 ...`, so only the trailing
 * block from `k0 + 1` changes, `4 n^3 / 3` flops instead of `2 n^3`.
 */
export function formQTransposed(reduction: Tridiagonalization): Float64Array {
  const n = reduction.diagonal.length;
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  applyBlocksFromRight(reduction, (k0) => ({ block: { data: x, offset: (k0 + 1) * n + k0 + 1, ld: n }, rows: n - k0 - 1 }));
  return x;
}

/** Applies the blocks of reflectors, last first, each to the part of `X` that `target(k0)` names. */
function applyBlocksFromRight({ diagonal, reflectors: a, taus }: Tridiagonalization, target: (k0: number) => { block: Block; rows: number }): void {
  const n = diagonal.length;
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
    const { block, rows } = target(k0);
    applyTransposedFromRight(blockReflector(vTransposed, length, count, taus.subarray(k0, k0 + count)), block, rows);
  }
}
