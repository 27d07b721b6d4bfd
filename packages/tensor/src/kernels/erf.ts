// The error function for one double. JavaScript has no Math.erf, and ONNX Erf
// (used by exact GELU) needs one accurate to a few ulps in float64.

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * `e^(-x^2)` with `x^2` split exactly into `hi + lo` (Veltkamp/Dekker), so the
 * rounding of `x^2` does not cost `x^2` ulps of the result.
 */
function expNegSquare(x: number): number {
  const hi = x * x;
  const split = 134217729 * x; // 2^27 + 1
  const xh = split - (split - x);
  const xl = x - xh;
  const lo = xh * xh - hi + 2 * xh * xl + xl * xl;
  return Math.exp(-hi) * (1 - lo);
}

/**
 * erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1))
 * (Abramowitz & Stegun 7.1.6). Every term is positive, so nothing cancels.
 */
function erfSeries(x: number): number {
  const q = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 0; n < 200 && Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
    term *= q / (2 * n + 3);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * expNegSquare(x) * sum;
}

/**
 * erfc(x) for x >= 2.5 by the continued fraction (A&S 7.1.14)
 * erfc(x) = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 * evaluated bottom-up; 50 levels converge to double precision for x >= 2.5.
 */
function erfcContinuedFraction(x: number): number {
  let f = x;
  for (let n = 50; n >= 1; n--) f = x + n / 2 / f;
  return (ONE_OVER_SQRT_PI * expNegSquare(x)) / f;
}

/** The error function of one number: odd, erf(+-Infinity) = +-1, NaN for NaN. */
export function erfOf(x: number): number {
  if (x !== x || x === 0) return x; // NaN stays NaN, erf(-0) = -0
  const a = Math.abs(x);
  // erfc(6) < 2.2e-17, below half an ulp of 1.
  const magnitude = a < 2.5 ? erfSeries(a) : a < 6 ? 1 - erfcContinuedFraction(a) : 1;
  return x < 0 ? -magnitude : magnitude;
}
