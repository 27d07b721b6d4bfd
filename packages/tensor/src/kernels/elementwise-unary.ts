import { allocate, type DataArray, type DType, type FloatDType } from "../dtype.js";
import { DTypeError } from "../errors.js";
import { Tensor } from "../tensor.js";
import { erfOf } from "./erf.js";

/** Signed integer dtypes (int64 is stored as bigint). */
export type IntDType = "int32" | "int64";
/** Dtypes with arithmetic: floats and signed integers. */
export type NumericDType = FloatDType | IntDType;

/**
 * One elementwise function per dtype family. Float functions run in JS doubles
 * and are rounded once when stored (float32). Integer functions must wrap like
 * two's-complement C arithmetic (int64 wraps on store into BigInt64Array).
 */
interface UnaryKernel {
  name: string;
  float?: (x: number) => number;
  int32?: (x: number) => number;
  int64?: (x: bigint) => bigint;
  bool?: (x: number) => number;
}

function allowedDTypes(kernel: UnaryKernel): DType[] {
  const out: DType[] = [];
  if (kernel.float) out.push("float32", "float64");
  if (kernel.int32) out.push("int32");
  if (kernel.int64) out.push("int64");
  if (kernel.bool) out.push("bool");
  return out;
}

function mapUnary<D extends DType>(kernel: UnaryKernel, x: Tensor<D>): Tensor<D> {
  const dtype: DType = x.dtype;
  const f =
    dtype === "float32" || dtype === "float64" ? kernel.float : dtype === "int32" ? kernel.int32 : dtype === "bool" ? kernel.bool : undefined;
  const out = allocate(x.dtype, x.size) as DataArray;
  if (dtype === "int64" && kernel.int64) {
    const g = kernel.int64;
    const src = x.data as BigInt64Array;
    const dst = out as BigInt64Array;
    for (let i = 0; i < src.length; i++) dst[i] = g(src[i]);
  } else if (f) {
    const src = x.data as Float64Array;
    const dst = out as Float64Array;
    for (let i = 0; i < src.length; i++) dst[i] = f(src[i]);
  } else {
    throw new DTypeError(`${kernel.name}: argument x: expected dtype ${allowedDTypes(kernel).join(" or ")}, got ${dtype}`);
  }
  return new Tensor(x.dtype, x.shape, out as Tensor<D>["data"]);
}

const NEG: UnaryKernel = { name: "neg", float: (x) => -x, int32: (x) => -x | 0, int64: (x) => -x };
const ABS: UnaryKernel = { name: "abs", float: Math.abs, int32: (x) => Math.abs(x) | 0, int64: (x) => (x < 0n ? -x : x) };
const EXP: UnaryKernel = { name: "exp", float: Math.exp };
const LOG: UnaryKernel = { name: "log", float: Math.log };
const SQRT: UnaryKernel = { name: "sqrt", float: Math.sqrt };
const RECIPROCAL: UnaryKernel = { name: "reciprocal", float: (x) => 1 / x };
const RELU: UnaryKernel = { name: "relu", float: (x) => (x > 0 ? x : x === x ? 0 : x), int32: (x) => (x > 0 ? x : 0), int64: (x) => (x > 0n ? x : 0n) };
const SIGMOID: UnaryKernel = { name: "sigmoid", float: sigmoidOf };
const TANH: UnaryKernel = { name: "tanh", float: Math.tanh };
const SIGN: UnaryKernel = { name: "sign", float: Math.sign, int32: Math.sign, int64: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n) };
const FLOOR: UnaryKernel = { name: "floor", float: Math.floor };
const CEIL: UnaryKernel = { name: "ceil", float: Math.ceil };
const ERF: UnaryKernel = { name: "erf", float: erfOf };
const SOFTPLUS: UnaryKernel = { name: "softplus", float: softplusOf };
const LOGICAL_NOT: UnaryKernel = { name: "logicalNot", bool: (x) => (x ? 0 : 1) };

/** 1 / (1 + e^-x), evaluated so that neither branch overflows: for x < 0 it is e^x / (1 + e^x). */
function sigmoidOf(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for large |x| where the naive form overflows or rounds to 0. */
function softplusOf(x: number): number {
  if (x !== x) return x;
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * `-x` elementwise (ONNX Neg). Integers wrap like C.
 *
 * @example
 * ```ts
 * neg(tensor([1, -2])).toArray(); // [-1, 2]
 * ```
 */
export function neg<D extends NumericDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(NEG, x);
}

/**
 * `|x|` elementwise (ONNX Abs).
 *
 * @example
 * ```ts
 * abs(tensor([-1.5, 2])).toArray(); // [1.5, 2]
 * ```
 */
export function abs<D extends NumericDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(ABS, x);
}

/**
 * `e^x` elementwise (ONNX Exp).
 *
 * @example
 * ```ts
 * exp(tensor([0, 1], { dtype: "float64" })).toArray(); // [1, 2.718281828459045]
 * ```
 */
export function exp<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(EXP, x);
}

/**
 * Natural logarithm elementwise (ONNX Log); `log(0) = -Infinity`, negative inputs give NaN.
 *
 * @example
 * ```ts
 * log(tensor([1, Math.E], { dtype: "float64" })).toArray(); // [0, 1]
 * ```
 */
export function log<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(LOG, x);
}

/**
 * Square root elementwise (ONNX Sqrt).
 *
 * @example
 * ```ts
 * sqrt(tensor([4, 9])).toArray(); // [2, 3]
 * ```
 */
export function sqrt<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(SQRT, x);
}

/**
 * `1 / x` elementwise (ONNX Reciprocal).
 *
 * @example
 * ```ts
 * reciprocal(tensor([2, 4])).toArray(); // [0.5, 0.25]
 * ```
 */
export function reciprocal<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(RECIPROCAL, x);
}

/**
 * `max(x, 0)` elementwise (ONNX Relu); NaN stays NaN.
 *
 * @example
 * ```ts
 * relu(tensor([-1, 2])).toArray(); // [0, 2]
 * ```
 */
export function relu<D extends NumericDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(RELU, x);
}

/**
 * The logistic function `1 / (1 + e^-x)` (ONNX Sigmoid), stable for large |x|.
 *
 * @example
 * ```ts
 * sigmoid(tensor([0, -1000])).toArray(); // [0.5, 0]
 * ```
 */
export function sigmoid<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(SIGMOID, x);
}

/**
 * Hyperbolic tangent elementwise (ONNX Tanh).
 *
 * @example
 * ```ts
 * tanh(tensor([0])).toArray(); // [0]
 * ```
 */
export function tanh<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(TANH, x);
}

/**
 * -1, 0 or 1 by the sign of x (ONNX Sign); NaN stays NaN.
 *
 * @example
 * ```ts
 * sign(tensor([-3, 0, 2], { dtype: "int32" })).toArray(); // [-1, 0, 1]
 * ```
 */
export function sign<D extends NumericDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(SIGN, x);
}

/**
 * Rounds down elementwise (ONNX Floor).
 *
 * @example
 * ```ts
 * floor(tensor([-1.5, 1.5])).toArray(); // [-2, 1]
 * ```
 */
export function floor<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(FLOOR, x);
}

/**
 * Rounds up elementwise (ONNX Ceil).
 *
 * @example
 * ```ts
 * ceil(tensor([-1.5, 1.5])).toArray(); // [-1, 2]
 * ```
 */
export function ceil<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(CEIL, x);
}

/**
 * The error function `2/sqrt(pi) * integral_0^x e^(-t^2) dt` (ONNX Erf), accurate to a few ulps in float64.
 *
 * @example
 * ```ts
 * erf(tensor([0, 1], { dtype: "float64" })).toArray(); // [0, 0.8427007929497149]
 * ```
 */
export function erf<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(ERF, x);
}

/**
 * `log(1 + e^x)` elementwise (ONNX Softplus), stable for large |x|.
 *
 * @example
 * ```ts
 * softplus(tensor([0, 1000], { dtype: "float64" })).toArray(); // [0.6931471805599453, 1000]
 * ```
 */
export function softplus<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return mapUnary(SOFTPLUS, x);
}

/**
 * Logical negation of a bool tensor (ONNX Not).
 *
 * @example
 * ```ts
 * logicalNot(tensor([true, false])).toNested(); // [false, true]
 * ```
 */
export function logicalNot(x: Tensor<"bool">): Tensor<"bool"> {
  return mapUnary(LOGICAL_NOT, x);
}
