import { gemmInto, Tensor, type FloatDType } from "@curv/tensor";
import { floatData } from "./matrix-blocks.js";

// Products of triangular Toeplitz matrices with a dense [n, m] matrix X, and
// the diagonal sums of X Xᵀ, cast as a few large matrix products so that they
// run on the cache-blocked gemm instead of streaming X through memory once per
// diagonal.
//
// Cut the rows into N blocks of b (X padded with zero rows to N·b). Block
// (I, J) of the lower Toeplitz T depends only on s = I − J: it is the b × b
// Toeplitz block T_s[r, c] = d[s·b + r − c] (0 outside 0..n−1). With the row
// blocks of X laid side by side, Y = [X_0 | X_1 | ... | X_{N−1}] (b × N·m),
// all products with one T_s are a single gemm:
//   (T X)_{J+s} += T_s X_J,   (Tᵀ X)_J += T_sᵀ X_{J+s},   Σ_J X_{J+s} X_Jᵀ.
// That is about n²·m multiply-adds, like the direct sums, at gemm speed.

/** Rows per block: large enough for gemm to be efficient, small enough that the zero padding stays cheap. */
const BLOCK = 64;

/** How n rows are cut: N blocks of b rows. */
interface RowBlocks {
  b: number;
  count: number;
}

function rowBlocks(n: number): RowBlocks {
  const b = Math.max(1, Math.min(BLOCK, n));
  return { b, count: Math.ceil(n / b) };
}

/** Y[r, J·m + c] = X[J·b + r, c], zero past row n. */
function sideBySide(x: Tensor<FloatDType>, { b, count }: RowBlocks): Float64Array {
  const [n, m] = x.shape;
  const src = floatData(x);
  const y = new Float64Array(b * count * m);
  for (let i = 0; i < n; i++) {
    const block = Math.floor(i / b);
    y.set(src.subarray(i * m, (i + 1) * m), (i - block * b) * count * m + block * m);
  }
  return y;
}

/** The inverse of {@link sideBySide}, keeping the first n rows. */
function stackedRows<D extends FloatDType>(y: Float64Array, n: number, m: number, dtype: D, { b, count }: RowBlocks): Tensor<D> {
  const out = new Tensor(dtype, [n, m]);
  const dst = floatData(out);
  for (let i = 0; i < n; i++) {
    const block = Math.floor(i / b);
    const start = (i - block * b) * count * m + block * m;
    dst.set(y.subarray(start, start + m), i * m);
  }
  return out;
}

/** T_s[r, c] = d[s·b + r − c] where that index lies in 0..n−1, else 0. */
function toeplitzBlock(d: Float32Array | Float64Array, s: number, b: number): Float64Array {
  const block = new Float64Array(b * b);
  for (let r = 0; r < b; r++) {
    for (let c = 0; c < b; c++) {
      const k = s * b + r - c;
      if (k >= 0 && k < d.length) block[r * b + c] = d[k];
    }
  }
  return block;
}

/** `T X` with T lower Toeplitz: row i is `Σ_{j ≤ i} d_{i−j} X_j`. */
export function lowerToeplitzTimes<D extends FloatDType>(diagonals: Tensor<D>, x: Tensor<D>): Tensor<D> {
  return toeplitzTimes(diagonals, x, "lower");
}

/** `U X` with U upper Toeplitz (`U = Tᵀ`): row i is `Σ_{j ≥ i} d_{j−i} X_j`. */
export function upperToeplitzTimes<D extends FloatDType>(diagonals: Tensor<D>, x: Tensor<D>): Tensor<D> {
  return toeplitzTimes(diagonals, x, "upper");
}

function toeplitzTimes<D extends FloatDType>(diagonals: Tensor<D>, x: Tensor<D>, side: "lower" | "upper"): Tensor<D> {
  const [n, m] = x.shape;
  const blocks = rowBlocks(n);
  const { b, count } = blocks;
  const width = count * m;
  const d = floatData(diagonals);
  const y = sideBySide(x, blocks);
  const out = new Float64Array(b * width);
  for (let s = 0; s < count; s++) {
    const ts = toeplitzBlock(d, s, b);
    const columns = (count - s) * m;
    if (side === "lower") {
      // Blocks J = 0..N−1−s of Y into output blocks J + s.
      gemmInto(b, columns, b, ts, 0, b, 1, y, 0, width, 1, out, s * m, width, true);
    } else {
      // T_sᵀ (read through transposed strides) times blocks J + s into output blocks J.
      gemmInto(b, columns, b, ts, 0, 1, b, y, s * m, width, 1, out, 0, width, true);
    }
  }
  return stackedRows(out, n, m, x.dtype, blocks);
}

/**
 * The diagonal sums of `X Xᵀ`: `sums[k] = Σ_i Σ_c X[i+k, c]·X[i, c]`, the
 * column autocorrelations at lag k. `W_s = Σ_J X_{J+s} X_Jᵀ` holds every
 * product at lags `s·b + r − c`, so each W_s is one gemm and a scatter.
 */
export function gramDiagonalSums(x: Tensor<FloatDType>): Float64Array {
  const [n, m] = x.shape;
  const blocks = rowBlocks(n);
  const { b, count } = blocks;
  const width = count * m;
  const y = sideBySide(x, blocks);
  const sums = new Float64Array(n);
  const w = new Float64Array(b * b);
  for (let s = 0; s < count; s++) {
    gemmInto(b, b, (count - s) * m, y, s * m, width, 1, y, 0, 1, width, w, 0, b);
    for (let r = 0; r < b; r++) {
      for (let c = 0; c < b; c++) {
        const k = s * b + r - c;
        // For s = 0, entries above the diagonal are the mirrored (negative) lags.
        if (k >= 0 && k < n && (s > 0 || r >= c)) sums[k] += w[r * b + c];
      }
    }
  }
  return sums;
}
