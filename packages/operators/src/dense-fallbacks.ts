import { ShapeError, det, formatShape, slogdet, type FloatDType, type SignAndLogDeterminant, type Tensor } from "@curv/tensor";
import type { LinearOperator } from "./linear-operator.js";
import type { ToDenseOptions } from "./to-dense.js";

// The generic way to get trace, determinants and norms of an operator with no
// closed form: materialize it (cols products with identity columns) and work
// on the dense matrix. Building blocks override these with exact O(n) or
// factor-sized formulas; curvature operators inherit them.

/** Throws a `ShapeError` naming `method` unless the operator is square. */
export function assertSquare(operator: LinearOperator, method: string): number {
  const [rows, cols] = operator.shape;
  if (rows !== cols) {
    throw new ShapeError(`${operator.constructor.name}.${method}: needs a square operator, got shape ${formatShape(operator.shape)}`);
  }
  return rows;
}

/** `Σ_i A_ii` of a dense square matrix, summed in float64. */
export function traceOfMatrix(matrix: Tensor<FloatDType>): number {
  const n = matrix.shape[0];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += matrix.data[i * n + i];
  return sum;
}

/** Whether a dense matrix equals its transpose exactly (so the operator may return itself as its adjoint). */
export function isExactlySymmetric(matrix: Tensor<FloatDType>): boolean {
  const [rows, cols] = matrix.shape;
  if (rows !== cols) return false;
  for (let i = 0; i < rows; i++) for (let j = 0; j < i; j++) if (matrix.data[i * cols + j] !== matrix.data[j * cols + i]) return false;
  return true;
}

/** `sqrt(Σ x²)` of all entries, with the largest entry factored out so squares cannot overflow. */
export function frobeniusNormOfValues(values: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] / scale) ** 2;
  return scale * Math.sqrt(sum);
}

/** `log det`: `logAbsDet` for a positive determinant, `-Infinity` if singular, NaN if negative (as `torch.logdet`). */
export function logdetFromSlogdet({ sign, logAbsDet }: SignAndLogDeterminant): number {
  if (sign === 0) return -Infinity;
  return sign > 0 ? logAbsDet : NaN;
}

export async function denseTrace(operator: LinearOperator, options?: ToDenseOptions): Promise<number> {
  assertSquare(operator, "trace");
  return traceOfMatrix(await operator.toDense(options));
}

export async function denseSlogdet(operator: LinearOperator, options?: ToDenseOptions): Promise<SignAndLogDeterminant> {
  assertSquare(operator, "slogdet");
  return slogdet(await operator.toDense(options));
}

export async function denseDet(operator: LinearOperator, options?: ToDenseOptions): Promise<number> {
  assertSquare(operator, "det");
  return det(await operator.toDense(options));
}

export async function denseFrobeniusNorm(operator: LinearOperator, options?: ToDenseOptions): Promise<number> {
  return frobeniusNormOfValues((await operator.toDense(options)).data);
}
