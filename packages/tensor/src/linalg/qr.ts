import type { FloatDType } from "../dtype.js";
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { householderReflector } from "./householder.js";
import { readMatrix, toTensor } from "./matrix-input.js";

/** Options of {@link qr}. */
export interface QrOptions {
  /**
   * `"reduced"` (default): `Q` is `m x k`, `R` is `k x n` with `k = min(m, n)`.
   * `"complete"`: `Q` is `m x m` orthogonal, `R` is `m x n`. As NumPy's `mode`.
   */
  mode?: "reduced" | "complete";
}

/** The result of {@link qr}: `A = Q R`. */
export interface QrResult<D extends FloatDType> {
  /** Orthonormal columns. */
  q: Tensor<D>;
  /** Upper triangular (trapezoidal when `m < n`); its diagonal may be negative, as LAPACK's. */
  r: Tensor<D>;
}

/**
 * The QR factorization of any `m x n` matrix by Householder reflections
 * (Golub & Van Loan, 4th ed., Algorithm 5.2.1; NumPy's `qr`).
 *
 * Computed in float64; float32 input gives float32 factors. Throws a
 * `ShapeError` for a non-2-D input, a `ValueError` for NaN/Inf or a bad mode.
 *
 * @example
 * ```ts
 * const { q, r } = qr(tensor([[3, 1], [4, 2]], { dtype: "float64" }));
 * r.toNested(); // [[-5, -2.2], [0, 0.4]]
 * q.toNested(); // [[-0.6, -0.8], [-0.8, 0.6]]
 * ```
 */
export function qr<D extends FloatDType>(a: Tensor<D>, { mode = "reduced" }: QrOptions = {}): QrResult<D> {
  if (mode !== "reduced" && mode !== "complete") {
    throw new ValueError(`qr: mode must be "reduced" or "complete", got ${String(mode)}`);
  }
  const { data, rows: m, cols: n } = readMatrix(a, "qr", "a");
  const { rDiagonal, taus } = householderQr(data, m, n);
  const k = Math.min(m, n);
  const qCols = mode === "complete" ? m : k;
  const rRows = qCols;
  const r = new Float64Array(rRows * n);
  for (let i = 0; i < Math.min(rRows, k); i++) {
    r[i * n + i] = rDiagonal[i];
    for (let j = i + 1; j < n; j++) r[i * n + j] = data[i * n + j];
  }
  return {
    q: toTensor(formQ(data, m, n, taus, qCols), [m, qCols], a.dtype),
    r: toTensor(r, [rRows, n], a.dtype),
  };
}

/** What {@link householderQr} leaves besides `a`. */
export interface HouseholderQr {
  /** `R[j, j]`; the strict upper triangle of `R` is in `a`. */
  rDiagonal: Float64Array;
  /** `tau_j` of reflector `j`, whose vector is in column `j` of `a` on and below the diagonal (leading 1 stored). */
  taus: Float64Array;
}

/**
 * Overwrites the `m x n` row-major `a` with `R` above the diagonal and the
 * reflector vectors on and below it. Applying `H_j` to the trailing columns
 * is `w = v^T A`, then `A -= tau v w^T`, both accumulated row by row so the
 * inner loops run along contiguous rows.
 */
export function householderQr(a: Float64Array, m: number, n: number): HouseholderQr {
  const k = Math.min(m, n);
  const rDiagonal = new Float64Array(k);
  const taus = new Float64Array(k);
  const w = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const { tau, alpha } = householderReflector(a, j * n + j, n, m - j);
    rDiagonal[j] = alpha;
    taus[j] = tau;
    if (tau === 0 || j + 1 === n) continue;
    w.fill(0, j + 1, n);
    for (let i = j; i < m; i++) {
      const vi = a[i * n + j];
      if (vi !== 0) for (let c = j + 1, at = i * n + j + 1; c < n; c++, at++) w[c] += vi * a[at];
    }
    for (let i = j; i < m; i++) {
      const scaled = tau * a[i * n + j];
      if (scaled !== 0) for (let c = j + 1, at = i * n + j + 1; c < n; c++, at++) a[at] -= scaled * w[c];
    }
  }
  return { rDiagonal, taus };
}

/**
 * The first `qCols` columns of `Q = H_0 H_1 ... H_{k-1}`, by backward
 * accumulation (G&VL section 5.1.6): starting from the identity, `H_j` only
 * changes rows and columns `j ...` of the product of the reflectors after it.
 */
export function formQ(a: Float64Array, m: number, n: number, taus: Float64Array, qCols: number): Float64Array {
  const q = new Float64Array(m * qCols);
  for (let i = 0; i < Math.min(m, qCols); i++) q[i * qCols + i] = 1;
  const w = new Float64Array(qCols);
  for (let j = taus.length - 1; j >= 0; j--) {
    const tau = taus[j];
    if (tau === 0) continue;
    w.fill(0, j, qCols);
    for (let i = j; i < m; i++) {
      const vi = a[i * n + j];
      if (vi !== 0) for (let c = j, at = i * qCols + j; c < qCols; c++, at++) w[c] += vi * q[at];
    }
    for (let i = j; i < m; i++) {
      const scaled = tau * a[i * n + j];
      if (scaled !== 0) for (let c = j, at = i * qCols + j; c < qCols; c++, at++) q[at] -= scaled * w[c];
    }
  }
  return q;
}
