import { Tensor, gemmInto, type FloatArray, type FloatDType } from "@curv/tensor";

/**
 * `(S₁ ⊗ S₂ ⊗ ⋯ ⊗ S_k) X` for `X` of shape `[Π nᵢ, K]`, without forming the
 * Kronecker product. With the row-major vec convention, `X` is the tensor
 * `[n₁, …, n_k, K]` and `Sᵢ` (`[mᵢ, nᵢ]`) acts along axis `i` alone
 * (Van Loan, "The ubiquitous Kronecker product", 2000, section 4): for two
 * factors this is `vec(S₁ X₀ S₂ᵀ)` with `X₀` the `[n₁, n₂]` matrix of one column.
 *
 * Each mode product is one gemm per index of the leading axes, so the cost is
 * `K Σᵢ mᵢ nᵢ Π_{j≠i} (dims)`, far below the `K (Π mᵢ)(Π nᵢ)` of the dense product.
 */
export function kroneckerMatmat<D extends FloatDType>(factors: readonly Tensor<D>[], x: Tensor<D>): Tensor<D> {
  const columns = x.shape[1];
  const dims = factors.map((s) => s.shape[1]);
  let current = x.data as FloatArray;
  factors.forEach((factor, axis) => {
    const [m, n] = factor.shape;
    const before = dims.slice(0, axis).reduce((p, d) => p * d, 1);
    const after = dims.slice(axis + 1).reduce((p, d) => p * d, 1) * columns;
    const next = x.dtype === "float64" ? new Float64Array(before * m * after) : new Float32Array(before * m * after);
    for (let p = 0; p < before; p++) {
      gemmInto(m, after, n, factor.data as FloatArray, 0, n, 1, current, p * n * after, after, 1, next, p * m * after, after);
    }
    dims[axis] = m;
    current = next;
  });
  const rows = dims.reduce((p, d) => p * d, 1);
  return new Tensor(x.dtype, [rows, columns], current as Tensor<D>["data"]);
}

/**
 * The dense `S₁ ⊗ ⋯ ⊗ S_k`, entry by entry: row `(i₁, …, i_k)` and column
 * `(j₁, …, j_k)`, both row-major, hold `Π Sₘ[iₘ, jₘ]`. Built one factor at a
 * time, `kron(kron(S₁, S₂), S₃)`, so each entry costs one multiplication.
 */
export function kroneckerDense<D extends FloatDType>(factors: readonly Tensor<D>[]): Tensor<D> {
  let rows = 1;
  let cols = 1;
  let current: number[] | Float64Array = [1];
  for (const factor of factors) {
    const [m, n] = factor.shape;
    const next = new Float64Array(rows * m * cols * n);
    const width = cols * n;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const scale = current[i * cols + j];
        for (let p = 0; p < m; p++)
          for (let q = 0; q < n; q++) next[(i * m + p) * width + j * n + q] = scale * factor.data[p * n + q];
      }
    [rows, cols, current] = [rows * m, width, next];
  }
  const out = new Tensor(factors[0].dtype, [rows, cols]);
  out.data.set(current);
  return out;
}

/** `kron(a, b)` of two vectors, row-major: entry `(i, j)` at `i·len(b) + j`. */
export function kronVectors(a: Float64Array, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length * b.length);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i * b.length + j] = a[i] * b[j];
  return out;
}
