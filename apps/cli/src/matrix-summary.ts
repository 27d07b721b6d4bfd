/** The summary `curv` prints after a run: size, trace, Frobenius norm, time. */
import type { Tensor } from "@curv/tensor";

/** Trace and Frobenius norm of a dense square matrix, summed in float64. */
export function matrixStatistics(matrix: Tensor): { trace: number; frobeniusNorm: number } {
  const [rows, cols] = matrix.shape;
  let trace = 0;
  for (let i = 0; i < Math.min(rows, cols); i++) trace += matrix.data[i * cols + i] as number;
  return { trace, frobeniusNorm: euclideanNorm(matrix) };
}

/** The square root of the sum of squared entries (Frobenius norm of a matrix, 2-norm of a vector). */
export function euclideanNorm(values: Tensor): number {
  const data = values.data as ArrayLike<number>;
  let squares = 0;
  for (let i = 0; i < data.length; i++) squares += data[i] * data[i];
  return Math.sqrt(squares);
}

/** Seconds with three significant digits, as `0.0123 s` or `12.3 s`. */
export function formatSeconds(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toPrecision(3))} s`;
}

/**
 * The lines `curv matrix` prints.
 *
 * @example
 * ```ts
 * matrixSummary("hessian", denseH, 812);
 * // ["hessian: P = 88", "trace = 0.4215", "Frobenius norm = 1.239", "time = 0.812 s"]
 * ```
 */
export function matrixSummary(kind: string, matrix: Tensor, milliseconds: number): string[] {
  const { trace, frobeniusNorm } = matrixStatistics(matrix);
  return [`${kind}: P = ${matrix.shape[0]}`, `trace = ${trace.toPrecision(7)}`, `Frobenius norm = ${frobeniusNorm.toPrecision(7)}`, `time = ${formatSeconds(milliseconds)}`];
}

/** The lines `curv matvec` prints: the product's size and norm and the time. */
export function matvecSummary(kind: string, parameters: number, product: Tensor, milliseconds: number): string[] {
  const norm = euclideanNorm(product);
  const columns = product.ndim === 2 ? `, ${product.shape[1]} columns` : "";
  return [`${kind}: P = ${parameters}${columns}`, `norm of the product = ${norm.toPrecision(7)}`, `time = ${formatSeconds(milliseconds)}`];
}
