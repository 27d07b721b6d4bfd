/**
 * Elementwise operators: one table row per operator, each evaluated by its
 * host kernel. Binary and variadic operators broadcast NumPy style.
 */
import type { DType } from "../../dtype.js";
import { DTypeError, ShapeError } from "../../errors.js";
import {
  abs, add, cast, ceil, div, equal, erf, exp, floor, greater, greaterEqual, less, lessEqual, log, logicalAnd,
  logicalNot, logicalOr, maximum, minimum, mul, neg, pow, reciprocal, relu, sigmoid, sign, softplus, sqrt, sub, tanh,
  where, clip,
} from "../../kernels/index.js";
import type { Tensor } from "../../tensor.js";
import type { ValueType } from "../ir.js";
import { broadcastDims, multiplyDims } from "../symbolic-dim.js";
import { attributeError } from "./attributes.js";
import { scalarOf } from "./constant-operands.js";
import { defineOperator } from "./define-operator.js";
import {
  ALL_DTYPES, BOOL_DTYPES, FLOAT_DTYPES, NUMERIC_DTYPES, type OperatorDefinition,
} from "./operator.js";

// Kernels are generic over the dtypes they accept; the registry has already
// checked the dtype against the operator's constraint, so it calls them through
// these erased signatures.
type UnaryKernel = (x: Tensor<never>) => Tensor;
type BinaryKernel = (a: Tensor<never>, b: Tensor<never>) => Tensor;

/** The type of a broadcast of `inputs`, with the given result dtype. */
export function broadcastType(inputs: readonly (ValueType | undefined)[], dtype: DType): ValueType {
  return { dtype, shape: broadcastDims(inputs.filter((i) => i !== undefined).map((i) => i.shape)) };
}

function unary(name: string, kernel: UnaryKernel, dtypes: readonly DType[]): OperatorDefinition {
  return defineOperator({
    name,
    inputs: [{ name: "X", type: "T" }],
    typeConstraints: { T: dtypes },
    inferTypes: ([x]) => [{ dtype: x!.dtype, shape: x!.shape }],
    evaluate: ([x]) => [kernel(x as Tensor<never>)],
  });
}

function binary(name: string, kernel: BinaryKernel, dtypes: readonly DType[], result: "same" | "bool"): OperatorDefinition {
  return defineOperator({
    name,
    inputs: [{ name: "A", type: "T" }, { name: "B", type: "T" }],
    typeConstraints: { T: dtypes },
    inferTypes: (inputs) => [broadcastType(inputs, result === "bool" ? "bool" : inputs[0]!.dtype)],
    evaluate: ([a, b]) => [kernel(a as Tensor<never>, b as Tensor<never>)],
  });
}

/** Max and Min of any number of inputs, folded pairwise left to right. */
function variadic(name: string, kernel: BinaryKernel): OperatorDefinition {
  return defineOperator({
    name,
    inputs: [{ name: "data_0", type: "T", variadic: true }],
    typeConstraints: { T: NUMERIC_DTYPES },
    inferTypes: (inputs) => [broadcastType(inputs, inputs[0]!.dtype)],
    evaluate: (inputs) => [(inputs as Tensor[]).reduce((acc, x) => kernel(acc as Tensor<never>, x as Tensor<never>))],
  });
}

/** `Pow(X, Y)`: ONNX lets the exponent's dtype differ from the base's; it is cast to the base's, which needs a float base. */
const POW = defineOperator({
  name: "Pow",
  inputs: [{ name: "X", type: "T" }, { name: "Y", type: "T1" }],
  typeConstraints: { T: NUMERIC_DTYPES, T1: NUMERIC_DTYPES },
  inferTypes(inputs) {
    const [x, y] = inputs as ValueType[];
    if (x.dtype !== y.dtype && !FLOAT_DTYPES.includes(x.dtype)) {
      throw new DTypeError(`an integer base (${x.dtype}) needs an exponent of the same dtype, got ${y.dtype}`);
    }
    return [broadcastType(inputs, x.dtype)];
  },
  evaluate([x, y]) {
    const exponent = y!.dtype === x!.dtype ? y! : cast(y!, x!.dtype);
    return [pow(x as Tensor<never>, exponent as Tensor<never>)];
  },
});

const WHERE = defineOperator({
  name: "Where",
  inputs: [{ name: "condition", type: "B" }, { name: "X", type: "T" }, { name: "Y", type: "T" }],
  typeConstraints: { B: BOOL_DTYPES, T: ALL_DTYPES },
  inferTypes: (inputs) => [broadcastType(inputs, inputs[1]!.dtype)],
  evaluate: ([condition, x, y]) => [where(condition as Tensor<"bool">, x!, y!)],
});

/** Clip's bounds are optional scalar inputs (since opset 11), not attributes. */
const CLIP = defineOperator({
  name: "Clip",
  inputs: [{ name: "input", type: "T" }, { name: "min", type: "T", optional: true }, { name: "max", type: "T", optional: true }],
  typeConstraints: { T: NUMERIC_DTYPES },
  inferTypes([x, ...bounds]) {
    bounds.forEach((bound, i) => {
      const size = bound && multiplyDims(bound.shape);
      if (typeof size === "number" && size !== 1) {
        throw new ShapeError(`input ${i + 1} ("${i === 0 ? "min" : "max"}") must be a scalar, got shape [${bound!.shape.join(", ")}]`);
      }
    });
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  evaluate: ([x, min, max]) => [
    clip(x as Tensor<never>, min && scalarOf(min, 'input 1 ("min")'), max && scalarOf(max, 'input 2 ("max")')),
  ],
});

/**
 * ONNX `TensorProto.DataType` codes of the dtypes curv has. Cast's `to` is one
 * of these codes (an int attribute), exactly as in an ONNX file.
 */
export const ONNX_DATA_TYPE_OF: Readonly<Record<DType, number>> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

function dtypeOfCode(code: number): DType {
  const entry = Object.entries(ONNX_DATA_TYPE_OF).find(([, value]) => value === code);
  if (entry === undefined) {
    const known = Object.entries(ONNX_DATA_TYPE_OF).map(([dtype, value]) => `${value} (${dtype})`);
    throw attributeError("to", `is ${code}, not a data type curv supports (expected one of ${known.join(", ")})`);
  }
  return entry[0] as DType;
}

const CAST = defineOperator({
  name: "Cast",
  inputs: [{ name: "input", type: "T1" }],
  typeConstraints: { T1: ALL_DTYPES },
  attributes: { to: { kind: "int", required: true } },
  inferTypes: ([x], attributes) => [{ dtype: dtypeOfCode(attributes.int("to")), shape: x!.shape }],
  evaluate: ([x], attributes) => [cast(x!, dtypeOfCode(attributes.int("to")))],
});

/** The elementwise operators, by ONNX name. */
export const ELEMENTWISE_OPERATORS: readonly OperatorDefinition[] = [
  unary("Identity", (x) => x, ALL_DTYPES),
  unary("Neg", neg, NUMERIC_DTYPES),
  unary("Abs", abs, NUMERIC_DTYPES),
  unary("Exp", exp, FLOAT_DTYPES),
  unary("Log", log, FLOAT_DTYPES),
  unary("Sqrt", sqrt, FLOAT_DTYPES),
  unary("Reciprocal", reciprocal, FLOAT_DTYPES),
  unary("Relu", relu, NUMERIC_DTYPES),
  unary("Sigmoid", sigmoid, FLOAT_DTYPES),
  unary("Tanh", tanh, FLOAT_DTYPES),
  unary("Sign", sign, NUMERIC_DTYPES),
  unary("Floor", floor, FLOAT_DTYPES),
  unary("Ceil", ceil, FLOAT_DTYPES),
  unary("Erf", erf, FLOAT_DTYPES),
  unary("Softplus", softplus, FLOAT_DTYPES),
  unary("Not", logicalNot as UnaryKernel, BOOL_DTYPES),
  binary("Add", add, NUMERIC_DTYPES, "same"),
  binary("Sub", sub, NUMERIC_DTYPES, "same"),
  binary("Mul", mul, NUMERIC_DTYPES, "same"),
  binary("Div", div, NUMERIC_DTYPES, "same"),
  POW,
  variadic("Max", maximum),
  variadic("Min", minimum),
  binary("Equal", equal, ALL_DTYPES, "bool"),
  binary("Less", less, NUMERIC_DTYPES, "bool"),
  binary("Greater", greater, NUMERIC_DTYPES, "bool"),
  binary("LessOrEqual", lessEqual, NUMERIC_DTYPES, "bool"),
  binary("GreaterOrEqual", greaterEqual, NUMERIC_DTYPES, "bool"),
  binary("And", logicalAnd as BinaryKernel, BOOL_DTYPES, "bool"),
  binary("Or", logicalOr as BinaryKernel, BOOL_DTYPES, "bool"),
  WHERE,
  CLIP,
  CAST,
];
