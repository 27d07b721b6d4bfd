// Dense references for the operator tests, built entry by entry from the
// definitions (not from the operators' own code paths), always in float64.
import { Generator, Tensor, type FloatDType } from "@curv/tensor";
import { compare, type Tolerance } from "@curv/tensor/test";
import { expect } from "vitest";

export const DTYPES = ["float64", "float32"] as const;

/** float64: tight; float32: loose (products round at every step). */
export function toleranceFor(dtype: FloatDType): Required<Tolerance> {
  return dtype === "float64" ? { rtol: 1e-10, atol: 1e-12 } : { rtol: 2e-4, atol: 2e-5 };
}

export function asFloat64(t: Tensor<FloatDType>): Tensor<"float64"> {
  return t.astype("float64");
}

export function randomMatrix<D extends FloatDType>(g: Generator, rows: number, cols: number, dtype: D): Tensor<D> {
  return g.normal([rows, cols], { dtype });
}

/** `(M + Mᵀ)/2` of a random `M`, rounded to `dtype` (so it is exactly symmetric). */
export function randomSymmetric<D extends FloatDType>(g: Generator, n: number, dtype: D): Tensor<D> {
  const m = g.normal([n, n], { dtype: "float64" });
  const s = new Tensor(dtype, [n, n]);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s.data[i * n + j] = (m.data[i * n + j] + m.data[j * n + i]) / 2;
  return s;
}

/** `M Mᵀ / n + I`: symmetric positive definite and well conditioned. */
export function randomSpd<D extends FloatDType>(g: Generator, n: number, dtype: D): Tensor<D> {
  const m = g.normal([n, n], { dtype: "float64" });
  const s = new Tensor(dtype, [n, n]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += m.data[i * n + k] * m.data[j * n + k];
      const v = dot / n + (i === j ? 1 : 0);
      s.data[i * n + j] = v;
      s.data[j * n + i] = v;
    }
  }
  return s;
}

/** `kron(a, b)` by its definition: entry `(i·p + j, k·q + l)` is `a_ik b_jl`. */
export function denseKron(a: Tensor<FloatDType>, b: Tensor<FloatDType>): Tensor<"float64"> {
  const [m, n] = a.shape;
  const [p, q] = b.shape;
  const out = new Tensor("float64", [m * p, n * q]);
  for (let i = 0; i < m; i++)
    for (let k = 0; k < n; k++)
      for (let j = 0; j < p; j++)
        for (let l = 0; l < q; l++) out.data[(i * p + j) * n * q + k * q + l] = a.data[i * n + k] * b.data[j * q + l];
  return out;
}

/** The block-diagonal matrix of `blocks`. */
export function denseBlockDiag(blocks: readonly Tensor<FloatDType>[]): Tensor<"float64"> {
  const rows = blocks.reduce((s, b) => s + b.shape[0], 0);
  const cols = blocks.reduce((s, b) => s + b.shape[1], 0);
  const out = new Tensor("float64", [rows, cols]);
  let [r0, c0] = [0, 0];
  for (const b of blocks) {
    const [r, c] = b.shape;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[(r0 + i) * cols + c0 + j] = b.data[i * c + j];
    r0 += r;
    c0 += c;
  }
  return out;
}

/** `A B` by the triple loop. */
export function denseProduct(a: Tensor<FloatDType>, b: Tensor<FloatDType>): Tensor<"float64"> {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const out = new Tensor("float64", [m, n]);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[i * k + p] * b.data[p * n + j];
      out.data[i * n + j] = s;
    }
  return out;
}

/** `Σ cᵢ Aᵢ` of same-shape matrices. */
export function denseCombination(terms: readonly [number, Tensor<FloatDType>][]): Tensor<"float64"> {
  const out = new Tensor("float64", terms[0][1].shape);
  for (const [c, t] of terms) for (let i = 0; i < out.size; i++) out.data[i] += c * t.data[i];
  return out;
}

export function denseTranspose(a: Tensor<FloatDType>): Tensor<"float64"> {
  return asFloat64(a).transpose();
}

/** `A + δI`. */
export function plusDiagonal(a: Tensor<FloatDType>, damping: number): Tensor<"float64"> {
  const out = asFloat64(a);
  const n = a.shape[0];
  for (let i = 0; i < n; i++) out.data[i * n + i] += damping;
  return out;
}

/** `A[rows][:, cols]`. */
export function denseSlice(a: Tensor<FloatDType>, rows: readonly number[], cols: readonly number[]): Tensor<"float64"> {
  const n = a.shape[1];
  const out = new Tensor("float64", [rows.length, cols.length]);
  rows.forEach((r, i) => cols.forEach((c, j) => (out.data[i * cols.length + j] = a.data[r * n + c])));
  return out;
}

/** Expects `actual` close to the float64 `expected` (a tensor, or a number). */
export function expectClose(actual: Tensor<FloatDType> | number, expected: Tensor<FloatDType> | number, tolerance: Tolerance, what = "values"): void {
  const a = typeof actual === "number" ? [actual] : asFloat64(actual);
  const b = typeof expected === "number" ? [expected] : expected;
  const result = compare(a, b, tolerance);
  expect(result.ok, `${what}: ${result.message}`).toBe(true);
}
