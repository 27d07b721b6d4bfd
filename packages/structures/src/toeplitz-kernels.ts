import { Tensor, type FloatDType } from "@curv/tensor";
import { floatData } from "./matrix-blocks.js";

// Triangular Toeplitz algebra on the coefficient vector d ∈ ℝⁿ alone (the
// products with dense matrices are in toeplitz-block-products.ts). The lower
// matrix is T[i, j] = d[i − j] (i ≥ j), the upper one its transpose. All loops
// accumulate in float64 and round once on storing.

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
  // Row by row, so that S is read in storage order.
  const sums = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sums[Math.abs(i - j)] += s[i * n + j];
  return fromFloat64(dense.dtype, [n], sums.map((sum, k) => sum / (n - k)));
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
