import type { FloatDType } from "../dtype.js";
import { ValueError } from "../errors.js";
import { gemmInto } from "../kernels/gemm-into.js";
import { Tensor } from "../tensor.js";
import { readMatrix, toTensor } from "./matrix-input.js";
import { svd } from "./svd.js";

/** Options of {@link pinv}. */
export interface PinvOptions {
  /**
   * Singular values at most `rtol * max(s)` are treated as zero. Default
   * `max(m, n) * eps`, NumPy's default for `pinv(..., rtol=None)`.
   */
  rtol?: number;
}

/**
 * The Moore-Penrose pseudo-inverse `A^+ = V diag(1 / s) U^T`, keeping only
 * singular values above `rtol * max(s)` (Golub & Van Loan, 4th ed., section
 * 5.5.2; NumPy's `pinv`). `A^+ b` is the minimum-norm least-squares solution
 * of `A x = b`.
 *
 * @example
 * ```ts
 * pinv(tensor([[1, 0], [0, 0]], { dtype: "float64" })).toNested(); // [[1, 0], [0, 0]]
 * pinv(tensor([[1], [1]], { dtype: "float64" })).toNested();        // [[0.5, 0.5]]
 * ```
 */
export function pinv<D extends FloatDType>(a: Tensor<D>, { rtol }: PinvOptions = {}): Tensor<D> {
  if (rtol !== undefined && !(rtol >= 0)) throw new ValueError(`pinv: rtol must be a non-negative number, got ${rtol}`);
  // Validate, and decompose in float64 whatever the input precision.
  const { data, rows: m, cols: n } = readMatrix(a, "pinv", "a");
  const { u, s, vt } = svd(new Tensor("float64", [m, n], data));
  const k = s.size;
  const values = s.data as Float64Array;
  const cutoff = (rtol ?? Math.max(m, n) * Number.EPSILON) * (k > 0 ? values[0] : 0);
  // V diag(1 / s), n x k, with the columns of dropped singular values left zero.
  const scaledV = new Float64Array(n * k);
  const v = vt.data as Float64Array;
  for (let c = 0; c < k; c++) {
    if (!(values[c] > cutoff)) continue;
    const inverse = 1 / values[c];
    for (let i = 0; i < n; i++) scaledV[i * k + c] = v[c * n + i] * inverse;
  }
  const result = new Float64Array(n * m);
  // (V diag(1 / s)) U^T, with U^T read as U's transpose.
  gemmInto(n, m, k, scaledV, 0, k, 1, u.data as Float64Array, 0, 1, k, result, 0, m);
  return toTensor(result, [n, m], a.dtype);
}
