import { allocate, type DataArray, type DType } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import { shapesEqual } from "../shape.js";
import { Tensor } from "../tensor.js";
import { broadcastShapesOf, broadcastStrides, forEachBroadcastRow } from "./broadcast.js";
import type { NumericDType } from "./elementwise-unary.js";

/**
 * One binary function per dtype family. Float functions run in JS doubles and
 * are rounded once on store (float32); int32 functions wrap like C; int64
 * functions work on bigints and wrap on store into BigInt64Array. Comparison
 * kernels return 0/1 (or booleans) and produce bool tensors.
 */
interface BinaryKernel {
  name: string;
  result: "same" | "bool";
  float?: (x: number, y: number) => number;
  int32?: (x: number, y: number) => number;
  int64?: (x: bigint, y: bigint) => bigint | number | boolean;
  bool?: (x: number, y: number) => number;
}

function kernelFor(kernel: BinaryKernel, dtype: DType): ((x: never, y: never) => unknown) | undefined {
  switch (dtype) {
    case "float32":
    case "float64":
      return kernel.float;
    case "int32":
      return kernel.int32;
    case "int64":
      return kernel.int64;
    case "bool":
      return kernel.bool;
  }
}

/** Checks that both operands share a dtype the kernel supports. */
export function assertSameDType(name: string, a: Tensor, b: Tensor, allowed?: readonly DType[]): void {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${name}: operands must have the same dtype, got a: ${a.dtype} and b: ${b.dtype}`);
  }
  if (allowed && !allowed.includes(a.dtype)) {
    throw new DTypeError(`${name}: expected dtype ${allowed.join(" or ")}, got ${a.dtype}`);
  }
}

/**
 * The broadcasting driver of every binary kernel: same-shape and scalar
 * operands take a single flat loop, everything else runs row by row (see
 * {@link forEachBroadcastRow}).
 */
function mapBinary(kernel: BinaryKernel, a: Tensor, b: Tensor): Tensor {
  const f = kernelFor(kernel, a.dtype) as ((x: unknown, y: unknown) => number) | undefined;
  if (a.dtype === b.dtype && !f) {
    const allowed = (["float32", "float64", "int32", "int64", "bool"] as const).filter((d) => kernelFor(kernel, d));
    throw new DTypeError(`${kernel.name}: expected dtype ${allowed.join(" or ")}, got ${a.dtype}`);
  }
  assertSameDType(kernel.name, a, b);
  const outShape = shapesEqual(a.shape, b.shape) ? [...a.shape] : broadcastShapesOf([a.shape, b.shape], kernel.name);
  const outDType: DType = kernel.result === "bool" ? "bool" : a.dtype;
  const out = allocate(outDType, outShape.reduce((s, d) => s * d, 1)) as unknown as unknown[];
  const x = a.data as unknown as unknown[];
  const y = b.data as unknown as unknown[];
  const call = f!;
  if (a.size === out.length && b.size === out.length) {
    for (let i = 0; i < out.length; i++) out[i] = call(x[i], y[i]);
  } else if (b.size === 1 && a.size === out.length) {
    const y0 = y[0];
    for (let i = 0; i < out.length; i++) out[i] = call(x[i], y0);
  } else if (a.size === 1 && b.size === out.length) {
    const x0 = x[0];
    for (let i = 0; i < out.length; i++) out[i] = call(x0, y[i]);
  } else {
    const strides = [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)];
    forEachBroadcastRow(outShape, strides, (o, [ia, ib], n, [sa, sb]) => {
      for (let k = 0; k < n; k++, ia += sa, ib += sb) out[o + k] = call(x[ia], y[ib]);
    });
  }
  return new Tensor(outDType, outShape, out as unknown as DataArray);
}

/** C's `pow` edge cases that differ from Math.pow: 1^y = 1 and (-1)^(+-Infinity) = 1 even for NaN / infinite y. */
function powFloat(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

function integerDivisionByZero(name: string): never {
  throw new ValueError(`${name}: integer division by zero`);
}

/** x^y for int32 by repeated squaring with wrapping products; negative y truncates like C's (int)pow. */
function powInt32(x: number, y: number): number {
  if (y < 0) {
    if (x === 0) integerDivisionByZero("pow");
    return x === 1 ? 1 : x === -1 ? (y % 2 === 0 ? 1 : -1) : 0;
  }
  let result = 1;
  for (let base = x, e = y; e > 0; e = Math.floor(e / 2), base = Math.imul(base, base)) {
    if (e % 2 === 1) result = Math.imul(result, base);
  }
  return result;
}

/** x^y for int64 by repeated squaring modulo 2^64 (so a huge y costs 64 steps, not a huge bigint). */
function powInt64(x: bigint, y: bigint): bigint {
  if (y < 0n) {
    if (x === 0n) integerDivisionByZero("pow");
    return x === 1n ? 1n : x === -1n ? (y % 2n === 0n ? 1n : -1n) : 0n;
  }
  let result = 1n;
  for (let base = x, e = y; e > 0n; e >>= 1n, base = BigInt.asIntN(64, base * base)) {
    if (e & 1n) result = BigInt.asIntN(64, result * base);
  }
  return result;
}

const ADD: BinaryKernel = { name: "add", result: "same", float: (x, y) => x + y, int32: (x, y) => (x + y) | 0, int64: (x, y) => x + y };
const SUB: BinaryKernel = { name: "sub", result: "same", float: (x, y) => x - y, int32: (x, y) => (x - y) | 0, int64: (x, y) => x - y };
const MUL: BinaryKernel = { name: "mul", result: "same", float: (x, y) => x * y, int32: Math.imul, int64: (x, y) => x * y };
const DIV: BinaryKernel = {
  name: "div",
  result: "same",
  float: (x, y) => x / y,
  // Truncation toward zero, as ONNX Div and C. Exact: a non-integer int32 quotient is at least 2^-31 away from an integer.
  int32: (x, y) => (y === 0 ? integerDivisionByZero("div") : Math.trunc(x / y) | 0),
  int64: (x, y) => (y === 0n ? integerDivisionByZero("div") : x / y),
};
const POW: BinaryKernel = { name: "pow", result: "same", float: powFloat, int32: powInt32, int64: powInt64 };
const MAXIMUM: BinaryKernel = { name: "maximum", result: "same", float: Math.max, int32: (x, y) => (x > y ? x : y), int64: (x, y) => (x > y ? x : y) };
const MINIMUM: BinaryKernel = { name: "minimum", result: "same", float: Math.min, int32: (x, y) => (x < y ? x : y), int64: (x, y) => (x < y ? x : y) };
const equalTo = (x: number, y: number) => (x === y ? 1 : 0);
const EQUAL: BinaryKernel = { name: "equal", result: "bool", float: equalTo, int32: equalTo, int64: (x, y) => x === y, bool: equalTo };
const LESS: BinaryKernel = { name: "less", result: "bool", float: (x, y) => (x < y ? 1 : 0), int32: (x, y) => (x < y ? 1 : 0), int64: (x, y) => x < y };
const GREATER: BinaryKernel = { name: "greater", result: "bool", float: (x, y) => (x > y ? 1 : 0), int32: (x, y) => (x > y ? 1 : 0), int64: (x, y) => x > y };
const LESS_EQUAL: BinaryKernel = { name: "lessEqual", result: "bool", float: (x, y) => (x <= y ? 1 : 0), int32: (x, y) => (x <= y ? 1 : 0), int64: (x, y) => x <= y };
const GREATER_EQUAL: BinaryKernel = { name: "greaterEqual", result: "bool", float: (x, y) => (x >= y ? 1 : 0), int32: (x, y) => (x >= y ? 1 : 0), int64: (x, y) => x >= y };
const LOGICAL_AND: BinaryKernel = { name: "logicalAnd", result: "bool", bool: (x, y) => x & y };
const LOGICAL_OR: BinaryKernel = { name: "logicalOr", result: "bool", bool: (x, y) => x | y };

/**
 * `a + b` with NumPy broadcasting (ONNX Add). Operands must share a dtype.
 *
 * @example
 * ```ts
 * add(tensor([[1], [2]]), tensor([10, 20])).toNested(); // [[11, 21], [12, 22]]
 * ```
 */
export function add<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  return mapBinary(ADD, a, b) as Tensor<D>;
}

/**
 * `a - b` with broadcasting (ONNX Sub).
 *
 * @example
 * ```ts
 * sub(tensor([5, 7]), tensor(1)).toArray(); // [4, 6]
 * ```
 */
export function sub<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  return mapBinary(SUB, a, b) as Tensor<D>;
}

/**
 * `a * b` with broadcasting (ONNX Mul).
 *
 * @example
 * ```ts
 * mul(tensor([1, 2]), tensor([3, 4])).toArray(); // [3, 8]
 * ```
 */
export function mul<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  return mapBinary(MUL, a, b) as Tensor<D>;
}

/**
 * `a / b` with broadcasting (ONNX Div). Integer division truncates toward zero
 * and throws a ValueError on division by zero.
 *
 * @example
 * ```ts
 * div(tensor([7, -7], { dtype: "int32" }), tensor([2, 2], { dtype: "int32" })).toArray(); // [3, -3]
 * ```
 */
export function div<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  return mapBinary(DIV, a, b) as Tensor<D>;
}

/**
 * `a ^ b` with broadcasting (ONNX Pow, C `pow` semantics: `1^NaN = 1`). Integer
 * powers wrap; negative integer exponents truncate (`2^-1 = 0`).
 *
 * @example
 * ```ts
 * pow(tensor([2, 3]), tensor(2)).toArray(); // [4, 9]
 * ```
 */
export function pow<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  return mapBinary(POW, a, b) as Tensor<D>;
}

/**
 * Elementwise maximum with broadcasting (ONNX Max of two inputs); NaN propagates as in NumPy.
 *
 * @example
 * ```ts
 * maximum(tensor([1, 5]), tensor([3, 2])).toArray(); // [3, 5]
 * ```
 */
export function maximum<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  return mapBinary(MAXIMUM, a, b) as Tensor<D>;
}

/**
 * Elementwise minimum with broadcasting (ONNX Min of two inputs); NaN propagates as in NumPy.
 *
 * @example
 * ```ts
 * minimum(tensor([1, 5]), tensor([3, 2])).toArray(); // [1, 2]
 * ```
 */
export function minimum<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  return mapBinary(MINIMUM, a, b) as Tensor<D>;
}

/**
 * `a == b` as a bool tensor (ONNX Equal); also defined for bool operands.
 *
 * @example
 * ```ts
 * equal(tensor([1, 2]), tensor([1, 3])).toNested(); // [true, false]
 * ```
 */
export function equal<D extends DType>(a: Tensor<D>, b: Tensor<D>): Tensor<"bool"> {
  return mapBinary(EQUAL, a, b) as Tensor<"bool">;
}

/**
 * `a < b` as a bool tensor (ONNX Less).
 *
 * @example
 * ```ts
 * less(tensor([1, 2]), tensor(2)).toNested(); // [true, false]
 * ```
 */
export function less<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<"bool"> {
  return mapBinary(LESS, a, b) as Tensor<"bool">;
}

/**
 * `a > b` as a bool tensor (ONNX Greater).
 *
 * @example
 * ```ts
 * greater(tensor([1, 2]), tensor(1)).toNested(); // [false, true]
 * ```
 */
export function greater<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<"bool"> {
  return mapBinary(GREATER, a, b) as Tensor<"bool">;
}

/**
 * `a <= b` as a bool tensor (ONNX LessOrEqual).
 *
 * @example
 * ```ts
 * lessEqual(tensor([1, 2, 3]), tensor(2)).toNested(); // [true, true, false]
 * ```
 */
export function lessEqual<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<"bool"> {
  return mapBinary(LESS_EQUAL, a, b) as Tensor<"bool">;
}

/**
 * `a >= b` as a bool tensor (ONNX GreaterOrEqual).
 *
 * @example
 * ```ts
 * greaterEqual(tensor([1, 2, 3]), tensor(2)).toNested(); // [false, true, true]
 * ```
 */
export function greaterEqual<D extends NumericDType>(a: Tensor<D>, b: Tensor<D>): Tensor<"bool"> {
  return mapBinary(GREATER_EQUAL, a, b) as Tensor<"bool">;
}

/**
 * Logical and of bool tensors with broadcasting (ONNX And).
 *
 * @example
 * ```ts
 * logicalAnd(tensor([true, true]), tensor([true, false])).toNested(); // [true, false]
 * ```
 */
export function logicalAnd(a: Tensor<"bool">, b: Tensor<"bool">): Tensor<"bool"> {
  return mapBinary(LOGICAL_AND, a, b) as Tensor<"bool">;
}

/**
 * Logical or of bool tensors with broadcasting (ONNX Or).
 *
 * @example
 * ```ts
 * logicalOr(tensor([false, false]), tensor([true, false])).toNested(); // [true, false]
 * ```
 */
export function logicalOr(a: Tensor<"bool">, b: Tensor<"bool">): Tensor<"bool"> {
  return mapBinary(LOGICAL_OR, a, b) as Tensor<"bool">;
}
