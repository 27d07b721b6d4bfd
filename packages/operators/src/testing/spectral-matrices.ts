// Test problems for the algorithms on operators: symmetric matrices with a
// chosen spectrum, and an operator that counts its products.
import { matmul, qr, type Generator, type Tensor } from "@curv/tensor";
import { LinearOperator } from "../linear-operator.js";

/** A random orthogonal `[n, n]` matrix: Q of the QR of a Gaussian matrix. */
export function randomOrthogonal(n: number, generator: Generator): Tensor<"float64"> {
  return qr(generator.normal([n, n], { dtype: "float64" })).q;
}

/** `Q diag(eigenvalues) Qᵀ` for a random orthogonal Q (returned too, columns are the eigenvectors). */
export function symmetricWithSpectrum(eigenvalues: readonly number[], generator: Generator): { matrix: Tensor<"float64">; eigenvectors: Tensor<"float64"> } {
  const n = eigenvalues.length;
  const q = randomOrthogonal(n, generator);
  const scaled = q.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled.data[i * n + j] *= eigenvalues[j];
  const matrix = matmul(scaled, q.transpose());
  // Exactly symmetric, so dense references and isSelfAdjoint checks see a symmetric matrix.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) matrix.data[j * n + i] = matrix.data[i * n + j];
  return { matrix, eigenvectors: q };
}

/** A symmetric positive definite `[n, n]` matrix with eigenvalues spaced geometrically over `range` (default `[1, condition]`). */
export function spdMatrix(n: number, generator: Generator, condition: number, range: readonly [number, number] = [1, condition]): Tensor<"float64"> {
  const [low, high] = range;
  const eigenvalues = Array.from({ length: n }, (_, i) => low * (high / low) ** (n === 1 ? 0 : i / (n - 1)));
  return symmetricWithSpectrum(eigenvalues, generator).matrix;
}

/** Wraps an operator and counts its products (`matmat` calls, each one "operator run") and the columns they carried. */
export class CountingLinearOperator<D extends "float32" | "float64"> extends LinearOperator<D> {
  products = 0;
  columns = 0;
  constructor(readonly inner: LinearOperator<D>) {
    super({ dtype: inner.dtype, inputShapes: inner.inputShapes, outputShapes: inner.outputShapes });
  }
  protected matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    this.products++;
    this.columns += x.shape[1];
    return this.inner.matmat(x);
  }
  adjoint(): LinearOperator<D> {
    return this.inner.isSelfAdjoint ? this : new CountingLinearOperator(this.inner.adjoint());
  }
  override get isSelfAdjoint(): boolean {
    return this.inner.isSelfAdjoint;
  }
}
