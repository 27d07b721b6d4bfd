/**
 * One or more small graphs per operator of the registry, for the runtime
 * parity tests: each case builds a one-node graph and its feeds in a float
 * dtype. Used by the tests only; `operator-parity.test.ts` fails when an
 * operator of the registry has no case here.
 */
import { isFloat, type DType, type FloatDType } from "../dtype.js";
import { GraphBuilder } from "../graph/index.js";
import type { AttributeValue, Graph } from "../graph/ir.js";
import { Generator } from "../random.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose, type Tolerance } from "../test/all-close.js";

/** A graph and the feeds to run it on. */
export interface OperatorCaseInstance {
  readonly graph: Graph;
  readonly feeds: Record<string, Tensor>;
}

/** One case of an operator: a label and how to build it in a float dtype. */
export interface OperatorCase {
  readonly label: string;
  build(dtype: FloatDType): OperatorCaseInstance;
}

/** An operand of a case: a fed tensor, or a constant baked into the graph. */
type Operand = Tensor | { readonly constant: Tensor } | undefined;

/** A graph of one `op` node over `operands`, all of whose outputs are graph outputs. */
function nodeCase(op: string, operands: readonly Operand[], attributes: Record<string, AttributeValue> = {}, outputs = 1): OperatorCaseInstance {
  const b = new GraphBuilder(op);
  const feeds: Record<string, Tensor> = {};
  const inputs = operands.map((operand, i) => {
    if (operand === undefined) return undefined;
    if (operand instanceof Tensor) {
      feeds[`in${i}`] = operand;
      return b.input(`in${i}`, operand.dtype, operand.shape);
    }
    return b.constant(`const${i}`, operand.constant);
  });
  const results = b.op(op, inputs, attributes, { outputs });
  results.forEach((value, k) => b.output(value, `out${k}`));
  return { graph: b.build(), feeds };
}

/** Seeded samples, so every run of the tests sees the same numbers. */
const normal = (shape: number[], dtype: FloatDType, seed: number) => new Generator(seed).normal(shape, { dtype });
const positive = (shape: number[], dtype: FloatDType, seed: number) => new Generator(seed).uniform(shape, { low: 0.5, high: 2, dtype });
const int64 = (values: number[]) => tensor(values, { dtype: "int64" });
const booleans = (values: number[], shape: number[]) => tensor(values, { dtype: "bool", shape });

function single(label: string, build: (dtype: FloatDType) => OperatorCaseInstance): OperatorCase[] {
  return [{ label, build }];
}

function unary(op: string, sample = normal): OperatorCase[] {
  return single("[3, 4]", (dtype) => nodeCase(op, [sample([3, 4], dtype, 1)]));
}

function binary(op: string, sampleB = normal): OperatorCase[] {
  return single("[3, 4] with [4] broadcast", (dtype) => nodeCase(op, [normal([3, 4], dtype, 1), sampleB([4], dtype, 2)]));
}

/** Comparisons get operands with some equal entries, so ties are checked too. */
function comparison(op: string): OperatorCase[] {
  return single("[2, 3] with ties", (dtype) => {
    const a = tensor([1, 2, 3, -1, 0.5, 7], { dtype, shape: [2, 3] });
    const b = tensor([1, 3, 2, -1, 0.25, 8], { dtype, shape: [2, 3] });
    return nodeCase(op, [a, b]);
  });
}

function castCase(to: DType, code: number): OperatorCase {
  return { label: `to ${to}`, build: (dtype) => nodeCase("Cast", [normal([2, 5], dtype, 3).astype(dtype)], { to: code }) };
}

/** A Conv case: input and weight shapes, attributes, and whether it has a bias. */
function convCase(label: string, x: number[], w: number[], attributes: Record<string, AttributeValue>, bias: boolean): OperatorCase {
  return {
    label,
    build: (dtype) => nodeCase("Conv", [normal(x, dtype, 1), normal(w, dtype, 2), bias ? normal([w[0]], dtype, 3) : undefined], attributes),
  };
}

/** Conv over the features the float64 lowering must get right: strides, dilations, asymmetric pads, auto_pad, groups, bias. */
export const CONV_CASES: readonly OperatorCase[] = [
  convCase("3x3, pads 1, bias", [2, 3, 5, 5], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }, true),
  convCase("stride 2, dilation 2, asymmetric pads, 2 groups", [1, 4, 9, 8], [6, 2, 3, 2], { strides: [2, 2], dilations: [2, 1], pads: [0, 2, 1, 0], group: 2 }, false),
  convCase("SAME_UPPER, stride 2, depthwise, bias", [2, 3, 6, 7], [3, 1, 3, 3], { auto_pad: "SAME_UPPER", strides: [2, 2], group: 3 }, true),
  convCase("SAME_LOWER, 1x1 kernel rows", [1, 2, 5, 4], [3, 2, 2, 1], { auto_pad: "SAME_LOWER", strides: [1, 3] }, false),
  convCase("VALID, stride 3", [1, 1, 8, 8], [2, 1, 3, 3], { auto_pad: "VALID", strides: [3, 3] }, true),
];

function convTransposeCase(label: string, x: number[], w: number[], attributes: Record<string, AttributeValue>, bias: boolean): OperatorCase {
  return {
    label,
    build: (dtype) =>
      nodeCase("ConvTranspose", [normal(x, dtype, 1), normal(w, dtype, 2), bias ? normal([w[1] * ((attributes.group as number) ?? 1)], dtype, 3) : undefined], attributes),
  };
}

/** ConvTranspose over strides, pads (odd totals included), output_padding, output_shape, auto_pad, dilations, groups, bias. */
export const CONV_TRANSPOSE_CASES: readonly OperatorCase[] = [
  convTransposeCase("stride 2, pads 1, output_padding 1, bias", [2, 3, 4, 3], [3, 2, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, true),
  convTransposeCase("2 groups, dilation 2, asymmetric pads", [1, 4, 3, 4], [4, 3, 2, 3], { group: 2, dilations: [2, 2], pads: [0, 1, 2, 0] }, false),
  convTransposeCase("output_shape, stride 3", [1, 2, 3, 3], [2, 2, 3, 2], { strides: [3, 2], output_shape: [8, 6] }, true),
  convTransposeCase("SAME_UPPER, stride 2", [1, 2, 3, 4], [2, 1, 4, 3], { auto_pad: "SAME_UPPER", strides: [2, 2] }, false),
  convTransposeCase("SAME_LOWER, stride 2", [1, 2, 3, 4], [2, 1, 4, 3], { auto_pad: "SAME_LOWER", strides: [2, 2] }, true),
  convTransposeCase("pads larger than the kernel span (cropping)", [1, 1, 6, 5], [1, 2, 2, 2], { strides: [2, 1], pads: [2, 1, 3, 1] }, false),
];

function averagePoolCase(label: string, x: number[], attributes: Record<string, AttributeValue>): OperatorCase {
  return { label, build: (dtype) => nodeCase("AveragePool", [normal(x, dtype, 1)], attributes) };
}

/** AveragePool over strides, pads, count_include_pad, ceil_mode and auto_pad. */
export const AVERAGE_POOL_CASES: readonly OperatorCase[] = [
  averagePoolCase("2x2, stride 2", [2, 3, 6, 6], { kernel_shape: [2, 2], strides: [2, 2] }),
  averagePoolCase("3x3, stride 2, pads 1, count_include_pad", [1, 2, 7, 6], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }),
  averagePoolCase("asymmetric pads, excluding them", [1, 2, 5, 6], { kernel_shape: [3, 2], pads: [1, 0, 0, 1] }),
  averagePoolCase("ceil_mode, count_include_pad", [1, 1, 7, 8], { kernel_shape: [3, 3], strides: [2, 3], pads: [1, 0, 1, 1], ceil_mode: 1, count_include_pad: 1 }),
  averagePoolCase("ceil_mode, excluding pads", [1, 1, 6, 7], { kernel_shape: [2, 3], strides: [2, 2], ceil_mode: 1 }),
  averagePoolCase("SAME_UPPER, stride 2", [1, 2, 5, 5], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: "SAME_UPPER" }),
];

function maxPoolCase(label: string, x: number[], attributes: Record<string, AttributeValue>, outputs = 1): OperatorCase {
  return { label, build: (dtype) => nodeCase("MaxPool", [normal(x, dtype, 1)], attributes, outputs) };
}

/** MaxPool over pads, dilations, ceil_mode and the Indices output. */
export const MAX_POOL_CASES: readonly OperatorCase[] = [
  maxPoolCase("3x3, stride 2, pads", [1, 2, 7, 6], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 0, 1, 1] }),
  maxPoolCase("dilations, ceil_mode", [2, 1, 6, 7], { kernel_shape: [2, 3], dilations: [2, 1], ceil_mode: 1, strides: [2, 2], pads: [0, 1, 1, 0] }),
  maxPoolCase("indices", [2, 2, 5, 6], { kernel_shape: [2, 3], strides: [2, 2], pads: [1, 0, 0, 1] }, 2),
];

/** The cases, by operator. */
export const OPERATOR_CASES: Readonly<Record<string, readonly OperatorCase[]>> = {
  Identity: unary("Identity"),
  Neg: unary("Neg"),
  Abs: unary("Abs"),
  Exp: unary("Exp"),
  Log: unary("Log", positive),
  Sqrt: unary("Sqrt", positive),
  Reciprocal: unary("Reciprocal", positive),
  Relu: unary("Relu"),
  Sigmoid: unary("Sigmoid"),
  Tanh: unary("Tanh"),
  Sign: single("with zeros", (dtype) => nodeCase("Sign", [tensor([-2, 0, 3.5, -0.1], { dtype })])),
  Floor: unary("Floor"),
  Ceil: unary("Ceil"),
  Erf: unary("Erf"),
  Softplus: unary("Softplus"),
  Not: single("bool", () => nodeCase("Not", [booleans([1, 0, 0, 1], [4])])),
  Add: binary("Add"),
  Sub: binary("Sub"),
  Mul: binary("Mul"),
  Div: binary("Div", positive),
  Pow: single("positive base", (dtype) => nodeCase("Pow", [positive([3, 4], dtype, 1), normal([4], dtype, 2)])),
  Max: single("three operands, broadcast", (dtype) => nodeCase("Max", [normal([2, 3], dtype, 1), normal([3], dtype, 2), normal([2, 1], dtype, 3)])),
  Min: single("three operands, broadcast", (dtype) => nodeCase("Min", [normal([2, 3], dtype, 1), normal([3], dtype, 2), normal([2, 1], dtype, 3)])),
  Equal: comparison("Equal"),
  Less: comparison("Less"),
  Greater: comparison("Greater"),
  LessOrEqual: comparison("LessOrEqual"),
  GreaterOrEqual: comparison("GreaterOrEqual"),
  And: single("bool", () => nodeCase("And", [booleans([1, 0, 1, 0], [4]), booleans([1, 1, 0, 0], [4])])),
  Or: single("bool", () => nodeCase("Or", [booleans([1, 0, 1, 0], [4]), booleans([1, 1, 0, 0], [4])])),
  Where: single("broadcast condition", (dtype) => nodeCase("Where", [booleans([1, 0, 1], [3]), normal([2, 3], dtype, 1), normal([2, 3], dtype, 2)])),
  Clip: single("constant bounds", (dtype) =>
    nodeCase("Clip", [normal([3, 4], dtype, 1), { constant: tensor(-0.5, { dtype }) }, { constant: tensor(0.7, { dtype }) }]),
  ),
  Cast: [castCase("float32", 1), castCase("float64", 11), castCase("int32", 6)],
  MatMul: single("[2, 3, 4] @ [4, 5]", (dtype) => nodeCase("MatMul", [normal([2, 3, 4], dtype, 1), normal([4, 5], dtype, 2)])),
  Gemm: single("transB, alpha, beta, bias", (dtype) =>
    nodeCase("Gemm", [normal([3, 4], dtype, 1), normal([5, 4], dtype, 2), normal([5], dtype, 3)], { transB: 1, alpha: 0.5, beta: 2 }),
  ),
  ReduceSum: single("axes input, keepdims", (dtype) => nodeCase("ReduceSum", [normal([2, 3, 4], dtype, 1), { constant: int64([1]) }])),
  ReduceMean: single("two axes", (dtype) => nodeCase("ReduceMean", [normal([2, 3, 4], dtype, 1)], { axes: [0, 2] })),
  ReduceMax: single("axis 1, no keepdims", (dtype) => nodeCase("ReduceMax", [normal([2, 3, 4], dtype, 1)], { axes: [1], keepdims: 0 })),
  ReduceMin: single("all axes", (dtype) => nodeCase("ReduceMin", [normal([2, 3, 4], dtype, 1)])),
  ArgMax: single("axis 1", (dtype) => nodeCase("ArgMax", [normal([3, 5], dtype, 1)], { axis: 1 })),
  Softmax: single("last axis", (dtype) => nodeCase("Softmax", [normal([2, 3, 4], dtype, 1)], { axis: -1 })),
  LogSoftmax: single("axis 1", (dtype) => nodeCase("LogSoftmax", [normal([2, 3, 4], dtype, 1)], { axis: 1 })),
  Transpose: single("perm [2, 0, 1]", (dtype) => nodeCase("Transpose", [normal([2, 3, 4], dtype, 1)], { perm: [2, 0, 1] })),
  Reshape: single("with -1", (dtype) => nodeCase("Reshape", [normal([2, 3, 4], dtype, 1), { constant: int64([4, -1]) }])),
  Flatten: single("axis 2", (dtype) => nodeCase("Flatten", [normal([2, 3, 4], dtype, 1)], { axis: 2 })),
  Squeeze: single("axes input", (dtype) => nodeCase("Squeeze", [normal([2, 1, 4], dtype, 1), { constant: int64([1]) }])),
  Unsqueeze: single("axes input", (dtype) => nodeCase("Unsqueeze", [normal([2, 4], dtype, 1), { constant: int64([0, 3]) }])),
  Concat: single("axis 1", (dtype) => nodeCase("Concat", [normal([2, 1], dtype, 1), normal([2, 3], dtype, 2), normal([2, 2], dtype, 3)], { axis: 1 })),
  Constant: single("value", (dtype) => nodeCase("Constant", [], { value: normal([2, 2], dtype, 1) })),
  ConstantOfShape: single("fed shape", (dtype) => nodeCase("ConstantOfShape", [int64([2, 3])], { value: tensor([1.5], { dtype }) })),
  Shape: single("of a float tensor", (dtype) => nodeCase("Shape", [normal([2, 3, 4], dtype, 1)])),
  Dropout: single("inference", (dtype) => nodeCase("Dropout", [normal([3, 4], dtype, 1)])),
  Slice: single("axes, negative step", (dtype) =>
    nodeCase("Slice", [normal([4, 5, 3], dtype, 1), { constant: int64([3, 1]) }, { constant: int64([0, 5]) }, { constant: int64([0, 1]) }, { constant: int64([-1, 2]) }]),
  ),
  Gather: single("axis 1, negative index", (dtype) => nodeCase("Gather", [normal([3, 4], dtype, 1), { constant: int64([3, 0, -1]) }], { axis: 1 })),
  Expand: single("[3, 1] to [2, 3, 4]", (dtype) => nodeCase("Expand", [normal([3, 1], dtype, 1), { constant: int64([2, 3, 4]) }])),
  Pad: [
    { label: "constant value", build: (dtype) => nodeCase("Pad", [normal([2, 3], dtype, 1), { constant: int64([1, 0, 0, 2]) }, { constant: tensor(0.5, { dtype }) }]) },
    { label: "reflect", build: (dtype) => nodeCase("Pad", [normal([1, 2, 3, 4], dtype, 1), { constant: int64([0, 0, 1, 2, 0, 0, 2, 1]) }], { mode: "reflect" }) },
    { label: "edge", build: (dtype) => nodeCase("Pad", [normal([2, 3], dtype, 1), { constant: int64([2, 1, 0, 3]) }], { mode: "edge" }) },
  ],
  Tile: single("repeats [2, 1, 3]", (dtype) => nodeCase("Tile", [normal([2, 3, 1], dtype, 1), { constant: int64([2, 1, 3]) }])),
  OneHot: [
    { label: "int64 indices, last axis", build: (dtype) => nodeCase("OneHot", [int64([-1, 0, 2, 1]), { constant: int64([4]) }, tensor([0.25, 1.5], { dtype })]) },
    {
      label: "int32 indices, float depth, axis 0",
      build: (dtype) => nodeCase("OneHot", [tensor([[0, 2], [1, 1]], { dtype: "int32" }), { constant: tensor(3, { dtype }) }, tensor([-1, 2.5], { dtype })], { axis: 0 }),
    },
  ],
  Conv: CONV_CASES,
  ConvTranspose: CONV_TRANSPOSE_CASES,
  MaxPool: MAX_POOL_CASES,
  AveragePool: AVERAGE_POOL_CASES,
  GlobalAveragePool: single("[2, 3, 4, 5]", (dtype) => nodeCase("GlobalAveragePool", [normal([2, 3, 4, 5], dtype, 1)])),
  BatchNormalization: single("inference, epsilon", (dtype) =>
    nodeCase(
      "BatchNormalization",
      [normal([2, 3, 4, 2], dtype, 1), normal([3], dtype, 2), normal([3], dtype, 3), normal([3], dtype, 4), positive([3], dtype, 5)],
      { epsilon: 1e-3 },
    ),
  ),
  LayerNormalization: [
    { label: "last axis, bias", build: (dtype) => nodeCase("LayerNormalization", [normal([2, 3, 5], dtype, 1), normal([5], dtype, 2), normal([5], dtype, 3)]) },
    { label: "axis 1, no bias", build: (dtype) => nodeCase("LayerNormalization", [normal([2, 3, 4], dtype, 1), normal([3, 4], dtype, 2)], { axis: 1, epsilon: 1e-3 }) },
  ],
};

/** Compares two runs output by output: same dtype and shape, floats within `tolerance`, everything else exactly. */
export function assertSameOutputs(actual: Record<string, Tensor>, expected: Record<string, Tensor>, tolerance: Tolerance, what: string): void {
  const names = (outputs: Record<string, Tensor>) => JSON.stringify(Object.keys(outputs).sort());
  if (names(actual) !== names(expected)) throw new Error(`${what}: outputs ${names(actual)}, expected ${names(expected)}`);
  for (const [name, value] of Object.entries(expected)) {
    const got = actual[name];
    if (got.dtype !== value.dtype) throw new Error(`${what}: ${name} is ${got.dtype}, expected ${value.dtype}`);
    assertAllClose(actual[name], value, isFloat(value.dtype) ? tolerance : { rtol: 0, atol: 0 }, `${what}: ${name}`);
  }
}
