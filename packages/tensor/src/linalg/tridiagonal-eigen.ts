import { LinAlgError } from "../errors.js";

/** Steps allowed per eigenvalue before giving up; Wilkinson-shifted QR needs 2-3 (LAPACK's dsteqr allows 30). */
const MAX_STEPS_PER_EIGENVALUE = 30;

/**
 * Eigenvalues of the symmetric tridiagonal matrix with `diagonal` and
 * `offDiagonal`, by the implicit symmetric QR algorithm with Wilkinson shifts
 * (Golub & Van Loan, 4th ed., Algorithms 8.3.2 and 8.3.3).
 *
 * On return `diagonal` holds the eigenvalues (unsorted) and `offDiagonal` is
 * zero. Every Givens rotation `R` of rows `k, k+1` of `T` is also applied to
 * rows `k, k+1` of `vectors` (`rows x rowLength`, row-major), so if `vectors`
 * held `Q^T` with `A = Q T Q^T`, its row `i` ends as the unit eigenvector of
 * `A` for eigenvalue `diagonal[i]`. Keeping eigenvectors as rows makes each
 * rotation two contiguous sweeps; pass `undefined` for eigenvalues only.
 *
 * Throws a {@link LinAlgError} if some eigenvalue does not converge.
 */
export function tridiagonalEigen(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
  vectors?: Float64Array,
  rowLength = diagonal.length,
): void {
  const n = diagonal.length;
  let last = n - 1;
  let steps = 0;
  while (last > 0) {
    if (isNegligible(diagonal, offDiagonal, last - 1)) {
      offDiagonal[last - 1] = 0;
      last--;
      steps = 0;
      continue;
    }
    let first = last - 1;
    while (first > 0 && !isNegligible(diagonal, offDiagonal, first - 1)) first--;
    if (first > 0) offDiagonal[first - 1] = 0;
    if (++steps > MAX_STEPS_PER_EIGENVALUE) {
      throw new LinAlgError(
        `eigh: the symmetric QR iteration did not converge for eigenvalue ${last} after ${MAX_STEPS_PER_EIGENVALUE} steps`,
      );
    }
    implicitQrStep(diagonal, offDiagonal, first, last, vectors, rowLength);
  }
}

/** Deflation test of G&VL section 8.3.5: `|e_i| <= eps (|d_i| + |d_{i+1}|)`. */
function isNegligible(diagonal: Float64Array, offDiagonal: Float64Array, i: number): boolean {
  return Math.abs(offDiagonal[i]) <= Number.EPSILON * (Math.abs(diagonal[i]) + Math.abs(diagonal[i + 1]));
}

/**
 * One implicit QR step on the unreduced block `first..last` (G&VL Algorithm
 * 8.3.2): the Wilkinson shift `mu` is the eigenvalue of the trailing 2x2 block
 * closer to its last entry; the first rotation is the one a QR step of
 * `T - mu I` would start with, and the rest chase the resulting bulge down
 * the band, each similarity `T <- R T R^T` restricted to the entries it changes.
 */
function implicitQrStep(
  d: Float64Array,
  e: Float64Array,
  first: number,
  last: number,
  vectors: Float64Array | undefined,
  rowLength: number,
): void {
  const delta = (d[last - 1] - d[last]) / 2;
  const b = e[last - 1];
  const mu = d[last] - (b * b) / (delta + (delta >= 0 ? 1 : -1) * Math.hypot(delta, b));
  let x = d[first] - mu;
  let z = e[first];
  for (let k = first; k < last; k++) {
    const r = Math.hypot(x, z);
    const c = r === 0 ? 1 : x / r;
    const s = r === 0 ? 0 : z / r;
    if (k > first) e[k - 1] = r;
    const p = d[k];
    const q = d[k + 1];
    const bk = e[k];
    const cs2b = 2 * c * s * bk;
    d[k] = c * c * p + cs2b + s * s * q;
    d[k + 1] = s * s * p - cs2b + c * c * q;
    e[k] = c * s * (q - p) + (c * c - s * s) * bk;
    if (k + 1 < last) {
      x = e[k];
      z = s * e[k + 1];
      e[k + 1] *= c;
    }
    if (vectors !== undefined) rotateRows(vectors, k * rowLength, (k + 1) * rowLength, rowLength, c, s);
  }
}

/** `[u; w] <- [c s; -s c] [u; w]` for the rows of `length` starting at `u` and `w`. */
function rotateRows(x: Float64Array, u: number, w: number, length: number, c: number, s: number): void {
  for (let j = 0; j < length; j++) {
    const xu = x[u + j];
    const xw = x[w + j];
    x[u + j] = c * xu + s * xw;
    x[w + j] = c * xw - s * xu;
  }
}
