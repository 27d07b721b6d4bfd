import { Tensor, type FloatDType } from "@curv/tensor";
import { floatData } from "./matrix-blocks.js";

// Triangular Toeplitz algebra on the coefficient vector d ∈ ℝⁿ. The lower
// matrix is T[i, j] = d[i − j] (i ≥ j), the upper one its transpose. All loops
// accumulate in float64 and round once on storing. The products cost O(n²·m)
// for m columns; SINGD phrases the same sums as conv1d with padding n − 1.

/** A tensor of `dtype` holding float64 values (rounded once for float32). */
function fromFloat64<D extends FloatDType>(dtype: D, shape: readonly number[], values: Float64Array): Tensor<D> {
  const out = new Tensor(dtype, shape);
  floatData(out).set(values);
  return out;
}

/**
 * The projection shared by both orientations (SINGD's Toeplitz `from_dense`):
 * `d₀ = tr(S)/n` and, for k ≥ 1, `d_k` is the sum of the k-th sub- and the
 * k-th super-diagonal over `n − k`. For symmetric S that is twice the mean of
 * the k-th diagonal; for a triangular Toeplitz S it returns S's coefficients.
 */
export function projectToeplitz<D extends FloatDType>(dense: Tensor<D>): Tensor<D> {
  const n = dense.shape[0];
  const s = floatData(dense);
  const d = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let i = 0; i + k < n; i++) sum += s[(i + k) * n + i] + (k > 0 ? s[i * n + i + k] : 0);
    d[k] = sum / (n - k);
  }
  return fromFloat64(dense.dtype, [n], d);
}

/**
 * The Toeplitz projection of a symmetric matrix given the sums of its
 * diagonals: `sums[k]` is the sum of the k-th sub-diagonal (which equals the
 * k-th super-diagonal's), so `d₀ = sums[0]/n` and `d_k = 2·sums[k]/(n − k)`.
 */
export function toeplitzFromSymmetricDiagonalSums<D extends FloatDType>(sums: Float64Array, dtype: D): Tensor<D> {
  const n = sums.length;
  return fromFloat64(dtype, [n], sums.map((sum, k) => (k === 0 ? sum / n : (2 * sum) / (n - k))));
}

/** `T X` with `T` lower Toeplitz: row i is `Σ_{j ≤ i} d_{i−j} X_j`. */
export function lowerToeplitzTimes<D extends FloatDType>(diagonals: Tensor<D>, x: Tensor<D>): Tensor<D> {
  return toeplitzTimes(diagonals, x, "lower");
}

/** `U X` with `U` upper Toeplitz: row i is `Σ_{j ≥ i} d_{j−i} X_j`. */
export function upperToeplitzTimes<D extends FloatDType>(diagonals: Tensor<D>, x: Tensor<D>): Tensor<D> {
  return toeplitzTimes(diagonals, x, "upper");
}

function toeplitzTimes<D extends FloatDType>(diagonals: Tensor<D>, x: Tensor<D>, side: "lower" | "upper"): Tensor<D> {
  const [n, m] = x.shape;
  const d = floatData(diagonals);
  const src = floatData(x);
  const acc = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const [from, to] = side === "lower" ? [0, i] : [i, n - 1];
    for (let j = from; j <= to; j++) {
      const coefficient = d[Math.abs(i - j)];
      if (coefficient === 0) continue;
      for (let c = 0; c < m; c++) acc[i * m + c] += coefficient * src[j * m + c];
    }
  }
  return fromFloat64(x.dtype, [n, m], acc);
}

/**
 * The coefficients of a product of two lower (or two upper) triangular
 * Toeplitz matrices: the truncated convolution `(a ⊛ b)_k = Σ_{i ≤ k} a_i b_{k−i}`.
 */
export function truncatedConvolution<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  const n = a.shape[0];
  const x = floatData(a);
  const y = floatData(b);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let i = 0; i <= k; i++) sum += x[i] * y[k - i];
    out[k] = sum;
  }
  return fromFloat64(a.dtype, [n], out);
}

/** The diagonal sums of `X Xᵀ`: `sums[k] = Σ_i Σ_c X[i+k, c]·X[i, c]`, the column autocorrelations at lag k. */
export function gramDiagonalSums(x: Tensor<FloatDType>): Float64Array {
  const [n, m] = x.shape;
  const src = floatData(x);
  const sums = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let i = 0; i + k < n; i++) {
      for (let c = 0; c < m; c++) sum += src[(i + k) * m + c] * src[i * m + c];
    }
    sums[k] = sum;
  }
  return sums;
}

/**
 * The diagonal sums of `TᵀT` for lower Toeplitz T, from the coefficients alone,
 * in O(n²): `(TᵀT)_{j+k, j} = Σ_{s=k}^{n−1−j} d_{s−k} d_s`, and summing over
 * j counts each s `n − s` times.
 */
export function lowerGramDiagonalSums(diagonals: Tensor<FloatDType>): Float64Array {
  const d = floatData(diagonals);
  const n = d.length;
  const sums = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let s = k; s < n; s++) sum += (n - s) * d[s - k] * d[s];
    sums[k] = sum;
  }
  return sums;
}

/**
 * The diagonal sums of `UᵀU = T Tᵀ` for upper Toeplitz `U = Tᵀ`:
 * `Σ_{t=0}^{n−1−k} (n − k − t)·d_{t+k} d_t`, by the same counting as
 * {@link lowerGramDiagonalSums} with the rows cut at the bottom instead.
 */
export function upperGramDiagonalSums(diagonals: Tensor<FloatDType>): Float64Array {
  const d = floatData(diagonals);
  const n = d.length;
  const sums = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let t = 0; t + k < n; t++) sum += (n - k - t) * d[t + k] * d[t];
    sums[k] = sum;
  }
  return sums;
}
