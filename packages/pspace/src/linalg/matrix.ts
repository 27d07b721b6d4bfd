/**
 * The small float64 matrix operations the representations share, on
 * @curv/tensor's host kernels (`gemm`, `eigh`, `luFactor`): symmetric
 * functions through eigendecompositions, Kronecker products, norms.
 */
import { eigh, gemm, Tensor } from "@curv/tensor";

/** A float64 matrix. */
export type Matrix = Tensor<"float64">;

/** `[rows, cols]` float64 matrix over `data` (not copied). */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  return new Tensor("float64", [rows, cols], data ?? new Float64Array(rows * cols));
}

/** `op(a) op(b)`. */
export function mm(a: Matrix, b: Matrix, { transA = false, transB = false }: { transA?: boolean; transB?: boolean } = {}): Matrix {
  return gemm(a, b, undefined, { transA, transB });
}

/** `A + s I` (a copy). */
export function plusIdentity(a: Matrix, s: number): Matrix {
  const n = a.shape[0];
  const out = a.clone();
  for (let i = 0; i < n; i++) out.data[i * n + i] += s;
  return out;
}

/** `tr A`. */
export function traceOf(a: Matrix): number {
  const n = a.shape[0];
  let t = 0;
  for (let i = 0; i < n; i++) t += a.data[i * n + i];
  return t;
}

/** `‖A‖_F`. */
export function frobenius(a: Matrix): number {
  let s = 0;
  for (const x of a.data) s += x * x;
  return Math.sqrt(s);
}

/** The eigenvalues of a symmetric matrix, ascending. */
export function symmetricEigenvalues(a: Matrix): Float64Array {
  return eigh(a).eigenvalues.data;
}

/** `U f(Λ) Uᵀ` for a symmetric `A = U Λ Uᵀ`. */
export function symmetricFunction(a: Matrix, f: (lambda: number) => number): Matrix {
  const { eigenvalues, eigenvectors } = eigh(a);
  return fromEigen(eigenvalues.data.map(f), eigenvectors);
}

/** `U diag(values) Uᵀ`. */
export function fromEigen(values: Float64Array, u: Matrix): Matrix {
  const [n, k] = u.shape;
  const scaled = u.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) scaled.data[i * k + j] *= values[j];
  return mm(scaled, u, { transB: true });
}

/** The singular values of a symmetric matrix: its eigenvalues' absolute values (largest and smallest). */
export function symmetricSingularRange(a: Matrix): { max: number; min: number } {
  const abs = Array.from(symmetricEigenvalues(a), Math.abs);
  return { max: Math.max(...abs), min: Math.min(...abs) };
}

/** The standard Kronecker product `a ⊗ b`. */
export function kron(a: Matrix, b: Matrix): Matrix {
  const [m, n] = a.shape;
  const [p, q] = b.shape;
  const out = matrix(m * p, n * q);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const aij = a.data[i * n + j];
      if (aij === 0) continue;
      for (let k = 0; k < p; k++) {
        const row = (i * p + k) * n * q + j * q;
        for (let l = 0; l < q; l++) out.data[row + l] = aij * b.data[k * q + l];
      }
    }
  }
  return out;
}

/** `Σ xᵢ yᵢ`. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** `A x` for a `[n, n]` matrix. */
export function matvec(a: Matrix, x: ArrayLike<number>): Float64Array {
  const [rows, cols] = a.shape;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const row = i * cols;
    for (let j = 0; j < cols; j++) s += a.data[row + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** `(A + Aᵀ)/2` (a copy). */
export function symmetrize(a: Matrix): Matrix {
  const n = a.shape[0];
  const out = a.clone();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (a.data[i * n + j] + a.data[j * n + i]);
      out.data[i * n + j] = v;
      out.data[j * n + i] = v;
    }
  }
  return out;
}
