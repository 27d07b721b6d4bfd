import { Tensor } from "@curv/tensor";

// Plain float64 loops over dense matrices: the independent reference the
// structured operations are checked against. Written for clarity, not speed.

export type Dense = Tensor<"float64">;

/** A float64 copy of any float matrix. */
export function asFloat64(t: Tensor): Dense {
  return t.astype("float64");
}

export function denseProduct(a: Dense, b: Dense): Dense {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const out = new Tensor("float64", [m, n]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[i * k + p] * b.data[p * n + j];
      out.data[i * n + j] = s;
    }
  }
  return out;
}

export function denseTranspose(a: Dense): Dense {
  const [m, n] = a.shape;
  const out = new Tensor("float64", [n, m]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[j * m + i] = a.data[i * n + j];
  return out;
}

/** `Σ c_k · A_k`. */
export function denseCombination(...terms: [number, Dense][]): Dense {
  const out = new Tensor("float64", terms[0][1].shape);
  for (const [c, a] of terms) for (let i = 0; i < out.size; i++) out.data[i] += c * a.data[i];
  return out;
}

export function identity(n: number): Dense {
  const out = new Tensor("float64", [n, n]);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

export function denseTrace(a: Dense): number {
  let s = 0;
  for (let i = 0; i < a.shape[0]; i++) s += a.data[i * a.shape[0] + i];
  return s;
}

export function denseFrobeniusNorm(a: Dense): number {
  return Math.sqrt(a.data.reduce((s, v) => s + v * v, 0));
}

export function denseMaxAbs(a: Dense): number {
  return a.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}
