// Deterministic test matrices and a naive dense reference product for the
// linalg tests. Test-only: nothing here is exported from the package.
import { Tensor } from "../tensor.js";

/**
 * A tiny linear congruential generator (Knuth's MMIX constants) returning
 * uniforms in [-1, 1), so tests are reproducible without the package RNG.
 */
export function lcg(seed: number): () => number {
  let state = BigInt(seed) & 0xffffffffffffffffn;
  return () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(state >> 11n) / 2 ** 52 - 1;
  };
}

/** An `rows x cols` float64 matrix of uniforms in [-1, 1). */
export function randomMatrix(rows: number, cols: number, seed: number): Tensor<"float64"> {
  const next = lcg(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = next();
  return new Tensor("float64", [rows, cols], data);
}

/** `(B + B^T) / 2` for a random `B`. */
export function randomSymmetric(n: number, seed: number): Tensor<"float64"> {
  const b = randomMatrix(n, n, seed).data;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = (b[i * n + j] + b[j * n + i]) / 2;
  return new Tensor("float64", [n, n], data);
}

/** `B B^T + n I` for a random `B`: symmetric positive definite and well conditioned. */
export function randomSpd(n: number, seed: number): Tensor<"float64"> {
  const b = randomMatrix(n, n, seed);
  const product = naiveMatmul(b, naiveTranspose(b));
  for (let i = 0; i < n; i++) product.data[i * n + i] += n;
  return product;
}

/** `Q diag(values) Q^T` for a random orthogonal `Q` (Gram-Schmidt of a random matrix): a symmetric matrix with known spectrum. */
export function symmetricWithSpectrum(values: readonly number[], seed: number): Tensor<"float64"> {
  const n = values.length;
  const q = randomOrthogonal(n, seed);
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = q.data[i * n + j] * values[j];
  return naiveMatmul(new Tensor("float64", [n, n], scaled), naiveTranspose(q));
}

/** A random orthogonal matrix by modified Gram-Schmidt on the columns of a random matrix. */
export function randomOrthogonal(n: number, seed: number): Tensor<"float64"> {
  const a = randomMatrix(n, n, seed).data;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a[i * n + j] * a[i * n + k];
      for (let i = 0; i < n; i++) a[i * n + j] -= dot * a[i * n + k];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) a[i * n + j] /= norm;
  }
  return new Tensor("float64", [n, n], a);
}

/** The textbook triple loop, as an independent reference for products inside the routines under test. */
export function naiveMatmul(a: Tensor, b: Tensor): Tensor<"float64"> {
  const [m, k] = a.shape;
  const [k2, n] = b.shape;
  if (k !== k2) throw new Error(`naiveMatmul: inner extents ${k} and ${k2} differ`);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += Number(a.data[i * k + p]) * Number(b.data[p * n + j]);
      out[i * n + j] = sum;
    }
  }
  return new Tensor("float64", [m, n], out);
}

/** The transpose of a 2-D tensor as float64. */
export function naiveTranspose(a: Tensor): Tensor<"float64"> {
  const [m, n] = a.shape;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = Number(a.data[i * n + j]);
  return new Tensor("float64", [n, m], out);
}

/** The `n x n` float64 identity. */
export function identity(n: number): Tensor<"float64"> {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return new Tensor("float64", [n, n], data);
}
