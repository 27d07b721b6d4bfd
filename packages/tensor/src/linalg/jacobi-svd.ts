import { LinAlgError } from "../errors.js";

/** Sweeps allowed before giving up; one-sided Jacobi converges quadratically and needs 5-10 in practice (Demmel & Veselic 1992). */
const MAX_SWEEPS = 60;

/**
 * One-sided Jacobi orthogonalization of the rows of a matrix (Hestenes 1958;
 * Golub & Van Loan, 4th ed., section 8.6.3), the core of {@link svd}.
 *
 * `x` (`rows x length`, row-major) is overwritten with `Y = J X` whose rows
 * are mutually orthogonal, and `j` (`rows x rows`, row-major, the identity on
 * entry) with the orthogonal `J`. For `X = B^T` this is the SVD of `B`:
 * `B = U diag(s) V^T` with `V^T = J`, `s_i = |y_i|` and `u_i = y_i / s_i`.
 *
 * Each pair of rows `(p, q)` whose cosine exceeds machine epsilon is rotated
 * by the Jacobi rotation that diagonalizes their 2x2 Gram matrix
 * `[[a, g], [g, b]]` (G&VL Algorithm 8.5.1); rows, not columns, so every
 * rotation and dot product runs over contiguous memory. Squared norms are
 * updated in closed form after each rotation (`a - t g`, `b + t g`) and
 * recomputed at the start of each sweep so round-off cannot accumulate.
 *
 * Throws a {@link LinAlgError} if the rows are not orthogonal after
 * {@link MAX_SWEEPS} sweeps.
 */
export function jacobiOrthogonalizeRows(x: Float64Array, rows: number, length: number, j: Float64Array): void {
  const squaredNorms = new Float64Array(rows);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    for (let p = 0; p < rows; p++) squaredNorms[p] = dot(x, p * length, p * length, length);
    let rotated = false;
    for (let p = 0; p < rows - 1; p++) {
      for (let q = p + 1; q < rows; q++) {
        const a = squaredNorms[p];
        const b = squaredNorms[q];
        if (a === 0 || b === 0) continue;
        const g = dot(x, p * length, q * length, length);
        if (!(Math.abs(g) > Number.EPSILON * Math.sqrt(a) * Math.sqrt(b))) continue;
        rotated = true;
        const zeta = (b - a) / (2 * g);
        // The smaller root of t^2 + 2 zeta t - 1 = 0, so |t| <= 1 (rotation angle at most pi/4); hypot avoids overflow of zeta^2.
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.hypot(1, t);
        const s = c * t;
        rotatePair(x, p * length, q * length, length, c, s);
        rotatePair(j, p * rows, q * rows, rows, c, s);
        squaredNorms[p] = a - t * g;
        squaredNorms[q] = b + t * g;
      }
    }
    if (!rotated) return;
  }
  throw new LinAlgError(`svd: one-sided Jacobi did not converge in ${MAX_SWEEPS} sweeps`);
}

function dot(x: Float64Array, u: number, w: number, length: number): number {
  let sum = 0;
  for (let k = 0; k < length; k++) sum += x[u + k] * x[w + k];
  return sum;
}

/** `[x_u, x_w] <- [c x_u - s x_w, s x_u + c x_w]` for two rows of `length`. */
function rotatePair(x: Float64Array, u: number, w: number, length: number, c: number, s: number): void {
  for (let k = 0; k < length; k++) {
    const xu = x[u + k];
    const xw = x[w + k];
    x[u + k] = c * xu - s * xw;
    x[w + k] = s * xu + c * xw;
  }
}
