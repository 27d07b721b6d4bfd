/**
 * A Householder reflector `H = I - tau v v^T` with `v[0] = 1`, chosen so that
 * `H x = [alpha, 0, ..., 0]^T` (Golub & Van Loan, 4th ed., section 5.1.2-5.1.3;
 * the `v[0] = 1` normalization is LAPACK's `dlarfg`).
 */
export interface Reflector {
  /** `2 / (v^T v)`; zero when `x` already has the wanted form and `H = I`. */
  tau: number;
  /** The one entry left in `H x`; `|alpha| = ||x||`. */
  alpha: number;
}

/**
 * Computes the reflector that zeroes all but the first of the `length`
 * entries `x[offset + i * stride]`, and overwrites those entries with `v`
 * (`v[0] = 1`).
 *
 * The sign of `alpha` is opposite to `x[0]`, so `x[0] - alpha` adds two
 * numbers of the same sign and never cancels (G&VL section 5.1.3). The norm is
 * accumulated on entries scaled by their largest magnitude so that it neither
 * overflows nor underflows.
 *
 * @example
 * ```ts
 * const x = new Float64Array([3, 4]);
 * householderReflector(x, 0, 1, 2); // { tau: 1.6, alpha: -5 }, x = [1, 0.5]
 * ```
 */
export function householderReflector(x: Float64Array, offset: number, stride: number, length: number): Reflector {
  const x0 = x[offset];
  let scale = 0;
  for (let i = 1; i < length; i++) scale = Math.max(scale, Math.abs(x[offset + i * stride]));
  if (scale === 0) {
    x[offset] = 1;
    return { tau: 0, alpha: x0 };
  }
  scale = Math.max(scale, Math.abs(x0));
  let sumOfSquares = 0;
  for (let i = 0; i < length; i++) {
    const xi = x[offset + i * stride] / scale;
    sumOfSquares += xi * xi;
  }
  const norm = scale * Math.sqrt(sumOfSquares);
  const alpha = x0 >= 0 ? -norm : norm;
  const v0 = x0 - alpha;
  const inverseV0 = 1 / v0;
  for (let i = 1; i < length; i++) x[offset + i * stride] *= inverseV0;
  x[offset] = 1;
  return { tau: -v0 / alpha, alpha };
}
