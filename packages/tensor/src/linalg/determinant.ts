import type { FloatDType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { luFactorInPlace } from "./lu.js";
import { readSquareMatrix } from "./matrix-input.js";

/**
 * The determinant of a square matrix: `det(P) prod_i U_ii` from LU with
 * partial pivoting (Golub & Van Loan, 4th ed., section 3.4). Zero for a
 * singular matrix. The product can overflow or underflow for large `n`; use
 * {@link slogdet} then. The determinant of a `0 x 0` matrix is 1.
 *
 * @example
 * ```ts
 * det(tensor([[1, 2], [3, 4]], { dtype: "float64" })); // -2
 * ```
 */
export function det(a: Tensor<FloatDType>): number {
  const { data, rows: n } = readSquareMatrix(a, "det", "a");
  const { permutationSign } = luFactorInPlace(data, n);
  let product = permutationSign;
  for (let i = 0; i < n; i++) product *= data[i * n + i];
  return product;
}

/** `det(A) = sign * exp(logAbsDet)`, as {@link slogdet} returns it. */
export interface SignAndLogDeterminant {
  /** +1, -1, or 0 for a singular matrix. */
  sign: number;
  /** `log |det(A)|`; `-Infinity` for a singular matrix. */
  logAbsDet: number;
}

/**
 * The sign and the natural logarithm of the absolute determinant (NumPy's
 * `slogdet`), summed from the LU pivots so that it neither overflows nor
 * underflows where `det` would.
 *
 * @example
 * ```ts
 * slogdet(tensor([[1, 2], [3, 4]], { dtype: "float64" })); // { sign: -1, logAbsDet: Math.log(2) }
 * ```
 */
export function slogdet(a: Tensor<FloatDType>): SignAndLogDeterminant {
  const { data, rows: n } = readSquareMatrix(a, "slogdet", "a");
  const { permutationSign, firstZeroPivot } = luFactorInPlace(data, n);
  if (firstZeroPivot >= 0) return { sign: 0, logAbsDet: -Infinity };
  let sign = permutationSign;
  let logAbsDet = 0;
  for (let i = 0; i < n; i++) {
    const u = data[i * n + i];
    if (u < 0) sign = -sign;
    logAbsDet += Math.log(Math.abs(u));
  }
  return { sign, logAbsDet };
}
