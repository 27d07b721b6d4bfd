import { LinAlgError } from "../errors.js";

/** Iterations allowed per root; the rational steps need 2-5, and every failed one is replaced by a bisection. */
const MAX_ITERATIONS = 200;

/**
 * One root of the secular equation of `D + rho w w^T` (Golub & Van Loan, 4th
 * ed., section 8.5.3):
 *
 *   f(lambda) = 1 + rho sum_j w_j^2 / (d_j - lambda) = 0,
 *
 * kept as `lambda = d[origin] + tau` with `origin` the pole nearer the root,
 * so that every difference `d_j - lambda = (d_j - d[origin]) - tau` is
 * computed to high relative accuracy; Gu & Eisenstat's vector recomputation
 * ({@link loewnerWeights}) depends on that.
 */
export interface SecularRoot {
  origin: number;
  tau: number;
}

/**
 * Root `i` of the secular equation for strictly increasing poles `d` (length
 * `k`), weights `w` with no zero entry and `rho > 0`: the root in
 * `(d_i, d_{i+1})`, or in `(d_{k-1}, d_{k-1} + rho |w|^2]` for the last one.
 * On return `differences[j] = d_j - lambda_i` for all `j`.
 *
 * The iteration is the "middle way" of Li (1993) as in LAPACK's `dlaed4`:
 * the sums over the poles left of the root (`psi`) and right of it (`phi`)
 * are each replaced by one term with the nearest pole, matching the sum's
 * slope at the current point, and the zero of that two-pole model between the poles is the next
 * iterate. Each iterate also narrows a bracket by the sign of `f` (which is
 * increasing between poles), and a step that leaves the bracket becomes a
 * bisection, so the iteration cannot fail to converge.
 */
export function secularRoot(d: Float64Array, w: Float64Array, rho: number, i: number, differences: Float64Array): SecularRoot {
  const k = d.length;
  const isLast = i === k - 1;
  let origin = i;
  let lower: number;
  let upper: number;
  let tau: number;
  if (isLast) {
    let normSquared = 0;
    for (let j = 0; j < k; j++) normSquared += w[j] * w[j];
    lower = 0;
    upper = rho * normSquared;
    tau = upper / 2;
  } else {
    // The sign of f at the midpoint says which half holds the root, hence which pole is nearer.
    const gap = d[i + 1] - d[i];
    if (evaluate(d, w, rho, i, i, gap / 2, differences).f >= 0) {
      lower = 0;
      upper = gap / 2;
    } else {
      origin = i + 1;
      lower = -gap / 2;
      upper = 0;
    }
    tau = (lower + upper) / 2;
  }
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { f, slopePsi, slopePhi, errorBound } = evaluate(d, w, rho, i, origin, tau, differences);
    if (Math.abs(f) <= errorBound) return { origin, tau };
    if (f < 0) lower = tau;
    else upper = tau;
    // The bracket cannot shrink further; `differences` already hold the values at `tau`.
    if (upper - lower <= 2 * Number.EPSILON * Math.max(Math.abs(lower), Math.abs(upper))) return { origin, tau };
    // The two-pole model c + s / (a - eta) + t / (b - eta), a = d_i - lambda, b = d_{i+1} - lambda.
    const a = differences[i];
    const slopeLeft = slopePsi * a;
    let step: number;
    if (isLast) {
      // Only poles on the left: c + s / (a - eta) = 0 with s = slopePsi a^2, c = f - slopePsi a.
      const c = f - slopeLeft;
      step = c > 0 ? a + (slopePsi * a * a) / c : NaN;
    } else {
      const b = differences[i + 1];
      step = twoPoleZero(f - slopeLeft - slopePhi * b, slopePsi * a * a, slopePhi * b * b, a, b);
    }
    const next = tau + step;
    tau = next > lower && next < upper ? next : (lower + upper) / 2;
  }
  throw new LinAlgError(`eigh: the secular equation did not converge for root ${i} of ${k} in ${MAX_ITERATIONS} iterations`);
}

/**
 * The zero in `(a, b)` of `c + s / (a - eta) + t / (b - eta)` (`a < 0 < b`,
 * `s, t >= 0`), i.e. of `c eta^2 - (c (a + b) + s + t) eta + (c a b + s b + t a)`,
 * by the cancellation-free pair of quadratic formulas; NaN if there is none.
 */
function twoPoleZero(c: number, s: number, t: number, a: number, b: number): number {
  const linear = c * (a + b) + s + t;
  const constant = c * a * b + s * b + t * a;
  if (c === 0) return linear === 0 ? NaN : constant / linear;
  const discriminant = linear * linear - 4 * c * constant;
  if (discriminant < 0) return NaN;
  const q = linear + (linear >= 0 ? 1 : -1) * Math.sqrt(discriminant);
  const first = q / (2 * c);
  const second = q === 0 ? NaN : (2 * constant) / q;
  return first > a && first < b ? first : second;
}

interface SecularValue {
  f: number;
  slopePsi: number;
  slopePhi: number;
  /** A bound on the rounding error in `f`, as `dlaed4`'s `erretm`. */
  errorBound: number;
}

/**
 * `f`, the slopes of its two parts at `lambda = d[origin] + tau`, filling
 * `differences[j] = (d_j - d[origin]) - tau`. `psi` sums the poles `j <= i`,
 * `phi` those `j > i`.
 */
function evaluate(d: Float64Array, w: Float64Array, rho: number, i: number, origin: number, tau: number, differences: Float64Array): SecularValue {
  const k = d.length;
  const shift = d[origin];
  let psi = 0;
  let slopePsi = 0;
  // sum |term_j| and sum |term_j| (distance of j from the root's interval + 1): dlaed4's `erretm`.
  let absolute = 0;
  let weighted = 0;
  for (let j = 0; j <= i; j++) {
    const delta = d[j] - shift - tau;
    differences[j] = delta;
    const ratio = w[j] / delta;
    psi += w[j] * ratio;
    slopePsi += ratio * ratio;
    const term = Math.abs(w[j] * ratio);
    absolute += term;
    weighted += term * (i - j + 1);
  }
  let phi = 0;
  let slopePhi = 0;
  for (let j = k - 1; j > i; j--) {
    const delta = d[j] - shift - tau;
    differences[j] = delta;
    const ratio = w[j] / delta;
    phi += w[j] * ratio;
    slopePhi += ratio * ratio;
    const term = Math.abs(w[j] * ratio);
    absolute += term;
    weighted += term * (j - i);
  }
  psi *= rho;
  phi *= rho;
  slopePsi *= rho;
  slopePhi *= rho;
  const f = 1 + psi + phi;
  const errorBound = Number.EPSILON * (rho * (8 * absolute + weighted) + 2 + 3 * Math.abs(f) + Math.abs(tau) * (slopePsi + slopePhi));
  return { f, slopePsi, slopePhi, errorBound };
}

/**
 * Gu & Eisenstat's recomputed weights (SIAM J. Matrix Anal. Appl. 16, 1995,
 * eq. 3.6, Löwner's formula): the `w_hat` for which the computed roots
 * `lambda` are the exact eigenvalues of `D + rho w_hat w_hat^T`,
 *
 *   w_hat_j^2 = (d_j - lambda_j) prod_{i != j} (d_j - lambda_i) / (d_j - d_i)   (up to the factor 1/rho),
 *
 * with the signs of `w`. Vectors built from `w_hat` are orthogonal to working
 * precision however close the roots, where vectors from `w` are not.
 * `differences[i * k + j] = d_j - lambda_i` (row `i` as {@link secularRoot}
 * left it for root `i`); only ratios matter, so `rho` is dropped.
 */
export function loewnerWeights(d: Float64Array, w: Float64Array, differences: Float64Array): Float64Array {
  const k = d.length;
  const weights = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let product = differences[j * k + j];
    for (let i = 0; i < k; i++) if (i !== j) product *= differences[i * k + j] / (d[j] - d[i]);
    weights[j] = (w[j] >= 0 ? 1 : -1) * Math.sqrt(Math.abs(product));
  }
  return weights;
}
