import { DTypeError, ShapeError, Tensor, ValueError, formatShape, isFloat, type FloatDType } from "@curv/tensor";

// Input validation shared by every structure. Each check names the argument
// and says what was expected and what was given.

/** Throws unless `x` is a float32 or float64 tensor. */
export function assertFloatTensor(x: unknown, what: string): asserts x is Tensor<FloatDType> {
  if (!(x instanceof Tensor)) throw new ValueError(`${what}: expected a Tensor, got ${describe(x)}`);
  if (!isFloat(x.dtype)) throw new DTypeError(`${what}: expected dtype float32 or float64, got ${x.dtype}`);
}

/** Throws unless `x` is a square float matrix. */
export function assertSquareMatrix(x: unknown, what: string): asserts x is Tensor<FloatDType> {
  assertFloatTensor(x, what);
  if (x.ndim !== 2 || x.shape[0] !== x.shape[1]) {
    throw new ShapeError(`${what}: expected a square matrix [n, n], got shape ${formatShape(x.shape)}`);
  }
}

/** Throws unless `x` is a float matrix (a 2-D tensor). */
export function assertMatrix(x: unknown, what: string): asserts x is Tensor<FloatDType> {
  assertFloatTensor(x, what);
  if (x.ndim !== 2) throw new ShapeError(`${what}: expected a matrix [n, m], got shape ${formatShape(x.shape)}`);
}

/** Throws unless `x` is a float matrix `[rows, columns]`, with `rows` given and `columns` any. */
export function assertRows(x: unknown, rows: number, what: string): asserts x is Tensor<FloatDType> {
  assertFloatTensor(x, what);
  if (x.ndim !== 2 || x.shape[0] !== rows) {
    throw new ShapeError(`${what}: expected a matrix of shape [${rows}, m], got shape ${formatShape(x.shape)}`);
  }
}

/** Throws unless `x` has shape `[rows, m]` and the dtype of the structure it meets. */
export function assertOperand(x: unknown, rows: number, dtype: FloatDType, what: string): asserts x is Tensor<FloatDType> {
  assertRows(x, rows, what);
  if (x.dtype !== dtype) throw new DTypeError(`${what}: expected dtype ${dtype} (the structure's), got ${x.dtype}`);
}

/** Throws unless `value` is a finite number. */
export function assertFiniteScalar(value: unknown, what: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ValueError(`${what}: expected a finite number, got ${describe(value)}`);
  }
}

/** Throws unless `dim` is a non-negative integer. */
export function assertDimension(dim: unknown, what: string): asserts dim is number {
  if (typeof dim !== "number" || !Number.isInteger(dim) || dim < 0) {
    throw new ValueError(`${what}: expected a non-negative integer dimension, got ${describe(dim)}`);
  }
}

/** Throws unless `dtype` is float32 or float64. */
export function assertFloatDType(dtype: unknown, what: string): asserts dtype is FloatDType {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new DTypeError(`${what}: expected dtype float32 or float64, got ${describe(dtype)}`);
  }
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a ${x.dtype} tensor of shape ${formatShape(x.shape)}`;
  if (typeof x === "string") return `"${x}"`;
  if (x === null || typeof x !== "object") return String(x);
  return x.constructor?.name ?? "an object";
}
