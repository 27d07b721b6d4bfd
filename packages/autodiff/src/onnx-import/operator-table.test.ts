import { evaluateGraph, Generator, GraphBuilder, Tensor, tensor, type Dim, type Graph, type ValueInfo } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileModel } from "../nn/compile-model.js";
import { importOnnx } from "./import-onnx.js";
import { SUPPORTED_ONNX_OPERATORS } from "./operator-table.js";

// importOnnx reads a FLOAT attribute as the decimal its float32 stands for
// (1e-5, as PyTorch computes in float64), the interpreter as the float32
// itself (as ORT does); a power of two is both, so the rows compare exactly.
const EPSILON = 2 ** -10;

const scalar = (value: number) => tensor([value], { dtype: "float64", shape: [] });

/** `0.5 x (1 + erf(x / sqrt(2)))` with PyTorch's node order. */
function exportedGelu(b: GraphBuilder, x: ValueInfo): ValueInfo {
  const erf = b.op("Erf", [b.op("Div", [x, b.constant("sqrt2", scalar(Math.SQRT2))])]);
  return b.op("Mul", [b.op("Mul", [x, b.op("Add", [erf, b.constant("one", scalar(1))])]), b.constant("half", scalar(0.5))]);
}

/** `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`. */
function tanhGelu(b: GraphBuilder, x: ValueInfo): ValueInfo {
  const cube = b.op("Mul", [b.op("Mul", [x, x]), x]);
  const inner = b.op("Mul", [b.op("Add", [x, b.op("Mul", [cube, b.constant("c", scalar(0.044715))])]), b.constant("k", scalar(Math.sqrt(2 / Math.PI)))]);
  return b.op("Mul", [b.op("Mul", [x, b.op("Add", [b.op("Tanh", [inner]), b.constant("one", scalar(1))])]), b.constant("half", scalar(0.5))]);
}

// Each row builds a small ONNX graph the way exporters write it; the
// imported model (traced through autodiff primitives, run on the js
// runtime) must agree with @curv/tensor's ONNX interpreter, an independent
// implementation of every operator, on data with a batch of 3 (and 5, so
// the symbolic batch axis is exercised).

const generator = new Generator(7);
const normal = (shape: number[]) => generator.normal(shape, { dtype: "float64" });
const positive = (shape: number[]) => {
  const t = generator.uniform(shape, { dtype: "float64" });
  return new Tensor("float64", shape, (t.data as Float64Array).map((v) => 0.5 + v));
};
const int64 = (values: number[], shape = [values.length]) => tensor(values.map(BigInt), { dtype: "int64", shape });

interface Row {
  name: string;
  /** The data's shape after the batch axis. */
  features: number[];
  /** The operators the row covers. */
  covers: string[];
  build(b: GraphBuilder, x: ValueInfo): ValueInfo;
}

const ROWS: Row[] = [
  {
    name: "Gemm (transB, alpha, beta) + Relu, as nn.Linear exports",
    features: [4],
    covers: ["Gemm", "Relu"],
    build: (b, x) => b.op("Relu", [b.op("Gemm", [x, b.constant("fc.weight", normal([3, 4])), b.constant("fc.bias", normal([3]))], { transB: 1, alpha: 0.5, beta: 2 })]),
  },
  {
    name: "exact GELU as torch.onnx.export writes it before opset 20 (Div, Erf, Add, Mul)",
    features: [4],
    covers: ["Erf", "Div", "Add", "Mul"],
    build: (b, x) => exportedGelu(b, x),
  },
  {
    name: "OneHot of integer ids (Cast of |x|), as toOnnx writes an embedding lookup",
    features: [4],
    covers: ["OneHot", "Cast", "Abs"],
    build: (b, x) => {
      const ids = b.op("Cast", [b.op("Abs", [x])], { to: 7 });
      const depth = b.constant("depth", tensor([5n], { dtype: "int64" }));
      return b.op("OneHot", [ids, depth, b.constant("values", tensor([-0.5, 2], { dtype: "float64" }))], { axis: -1 });
    },
  },
  {
    name: "ConstantOfShape of Shape(x) (a symbolic batch), added to x",
    features: [3],
    covers: ["ConstantOfShape", "Shape", "Add"],
    build: (b, x) => b.op("Add", [x, b.op("ConstantOfShape", [b.op("Shape", [x])], { value: tensor([2.5], { dtype: "float64" }) })]),
  },
  {
    name: "Gemm without transposes or C",
    features: [4],
    covers: ["Gemm"],
    build: (b, x) => b.op("Gemm", [x, b.constant("w", normal([4, 2]))]),
  },
  {
    name: "MatMul on rank 3, then MatMul with a vector",
    features: [2, 4],
    covers: ["MatMul"],
    build: (b, x) => b.op("MatMul", [b.op("MatMul", [x, b.constant("w", normal([4, 3]))]), b.constant("v", normal([3]))]),
  },
  {
    name: "Conv with groups, strides, dilations, asymmetric pads and bias",
    features: [4, 7, 8],
    covers: ["Conv"],
    build: (b, x) =>
      b.op("Conv", [x, b.constant("conv.weight", normal([6, 2, 3, 3])), b.constant("conv.bias", normal([6]))], {
        group: 2, strides: [2, 1], pads: [1, 0, 1, 2], dilations: [1, 2], kernel_shape: [3, 3],
      }),
  },
  {
    name: "Conv with auto_pad SAME_UPPER and SAME_LOWER",
    features: [2, 7, 6],
    covers: ["Conv"],
    build: (b, x) => {
      const upper = b.op("Conv", [x, b.constant("a.weight", normal([3, 2, 3, 2]))], { auto_pad: "SAME_UPPER", strides: [2, 2] });
      return b.op("Conv", [upper, b.constant("b.weight", normal([2, 3, 2, 2]))], { auto_pad: "SAME_LOWER" });
    },
  },
  {
    name: "Conv with auto_pad VALID",
    features: [2, 5, 5],
    covers: ["Conv"],
    build: (b, x) => b.op("Conv", [x, b.constant("w", normal([3, 2, 2, 2]))], { auto_pad: "VALID" }),
  },
  {
    name: "MaxPool with padding and stride; ceil_mode where it adds no window",
    features: [2, 7, 7],
    covers: ["MaxPool"],
    build: (b, x) => b.op("MaxPool", [b.op("MaxPool", [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }),
  },
  {
    name: "AveragePool not counting padding (ONNX's default)",
    features: [2, 6, 5],
    covers: ["AveragePool"],
    build: (b, x) => b.op("AveragePool", [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  },
  {
    name: "AveragePool counting padding, then GlobalAveragePool",
    features: [2, 6, 5],
    covers: ["AveragePool", "GlobalAveragePool"],
    build: (b, x) => b.op("GlobalAveragePool", [b.op("AveragePool", [x], { kernel_shape: [2, 3], pads: [1, 0, 0, 1], count_include_pad: 1 })]),
  },
  {
    name: "BatchNormalization (inference) on NCHW and on NC",
    features: [3, 2, 2],
    covers: ["BatchNormalization", "Flatten"],
    build: (b, x) => {
      const norm = (input: ValueInfo, prefix: string, channels: number) =>
        b.op("BatchNormalization", [input, ...["weight", "bias"].map((n) => b.constant(`${prefix}.${n}`, normal([channels]))), b.constant(`${prefix}.running_mean`, normal([channels])), b.constant(`${prefix}.running_var`, positive([channels]))], { epsilon: EPSILON });
      return norm(b.op("Flatten", [norm(x, "bn2d", 3)], { axis: 1 }), "bn1d", 12);
    },
  },
  {
    name: "Sigmoid, Tanh, Softmax and LogSoftmax",
    features: [2, 3],
    covers: ["Sigmoid", "Tanh", "Softmax", "LogSoftmax"],
    build: (b, x) => b.op("Add", [b.op("Softmax", [b.op("Sigmoid", [x])], { axis: 1 }), b.op("LogSoftmax", [b.op("Tanh", [x])])]),
  },
  {
    name: "Add, Sub, Mul, Div with broadcast initializers and a Constant",
    features: [3],
    covers: ["Add", "Sub", "Mul", "Div", "Constant"],
    build: (b, x) => {
      const two = b.op("Constant", [], { value: tensor([2], { dtype: "float64", shape: [] }) });
      const scaled = b.op("Mul", [b.op("Sub", [x, b.constant("shift", normal([3]))]), two]);
      return b.op("Div", [b.op("Add", [scaled, b.constant("offset", normal([1, 3]))]), b.constant("scale", positive([3]))]);
    },
  },
  {
    name: "Reshape by the Shape → Gather → Unsqueeze → Concat chain torch.onnx.export writes",
    features: [2, 3, 2],
    covers: ["Shape", "Gather", "Unsqueeze", "Concat", "Reshape"],
    build: (b, x) => {
      const batch = b.op("Gather", [b.op("Shape", [x]), b.constant("zero", int64([0], []))], { axis: 0 });
      const target = b.op("Concat", [b.op("Unsqueeze", [batch, b.constant("axes", int64([0]))]), b.constant("rest", int64([-1]))], { axis: 0 });
      return b.op("Reshape", [x, target]);
    },
  },
  {
    name: "Reshape with 0 (copy the extent) and shape arithmetic with Mul and Div",
    features: [4, 3],
    covers: ["Reshape", "Mul", "Div", "Shape", "Slice"],
    build: (b, x) => {
      const dims = b.op("Shape", [x]);
      const channels = b.op("Slice", [dims, b.constant("one", int64([1])), b.constant("two", int64([2]))]);
      const half = b.op("Div", [channels, b.constant("two_", int64([2]))]);
      const target = b.op("Concat", [b.constant("keep", int64([0])), half, b.op("Mul", [b.constant("six", int64([2])), b.constant("three", int64([3]))])], { axis: 0 });
      return b.op("Reshape", [x, target]);
    },
  },
  {
    name: "Transpose, Squeeze, Unsqueeze, Concat and Gather on traced values",
    features: [1, 3, 2],
    covers: ["Transpose", "Squeeze", "Unsqueeze", "Concat", "Gather"],
    build: (b, x) => {
      const squeezed = b.op("Squeeze", [x, b.constant("axes", int64([1]))]);
      const swapped = b.op("Transpose", [squeezed], { perm: [0, 2, 1] });
      const picked = b.op("Gather", [swapped, b.constant("rows", int64([2, 0]))], { axis: 2 });
      const first = b.op("Gather", [swapped, b.constant("row", int64([1], []))], { axis: 2 });
      return b.op("Concat", [picked, b.op("Unsqueeze", [first, b.constant("axis2", int64([2]))])], { axis: 2 });
    },
  },
  {
    name: "Identity, Dropout (inference), Cast, Constant value_float",
    features: [3],
    covers: ["Identity", "Dropout", "Cast", "Constant"],
    build: (b, x) => {
      const factor = b.op("Cast", [b.op("Constant", [], { value_float: 1.5 })], { to: 11 });
      return b.op("Mul", [b.op("Cast", [b.op("Dropout", [b.op("Identity", [x])])], { to: 11 }), factor]);
    },
  },
  {
    name: "LayerNormalization, ReduceMean, ReduceSum, ReduceMax",
    features: [2, 4],
    covers: ["LayerNormalization", "ReduceMean", "ReduceSum", "ReduceMax"],
    build: (b, x) => {
      const norm = b.op("LayerNormalization", [x, b.constant("ln.weight", normal([4])), b.constant("ln.bias", normal([4]))], { axis: -1, epsilon: EPSILON });
      const mean = b.op("ReduceMean", [norm], { axes: [1], keepdims: 0 });
      const sum = b.op("ReduceSum", [norm, b.constant("axes", int64([1]))], { keepdims: 0 });
      return b.op("Add", [b.op("Add", [mean, sum]), b.op("ReduceMax", [norm], { axes: [1], keepdims: 0 })]);
    },
  },
  {
    name: "Pad, Slice, Expand",
    features: [2, 3],
    covers: ["Pad", "Slice", "Expand"],
    build: (b, x) => {
      const padded = b.op("Pad", [x, b.constant("pads", int64([0, 1, 0, 0, 2, 1])), b.constant("value", tensor([0.5], { dtype: "float64", shape: [] }))]);
      const sliced = b.op("Slice", [padded, b.constant("starts", int64([1, -3])), b.constant("ends", int64([100, -1])), b.constant("axes", int64([1, 2]))]);
      return b.op("Expand", [sliced, b.constant("shape", int64([2, 1, 1, 1]))]);
    },
  },
  {
    name: "Where, Greater, Less, Equal, Max, Pow, Neg, Abs, Exp, Log, Sqrt",
    features: [3],
    covers: ["Where", "Greater", "Less", "Equal", "Max", "Pow", "Neg", "Abs", "Exp", "Log", "Sqrt"],
    build: (b, x) => {
      const zero = b.constant("zero", tensor([0], { dtype: "float64", shape: [] }));
      const positivePart = b.op("Where", [b.op("Greater", [x, zero]), x, b.op("Neg", [x])]);
      const negativePart = b.op("Where", [b.op("Less", [x, zero]), b.op("Exp", [x]), b.op("Sqrt", [b.op("Abs", [x])])]);
      const notZero = b.op("Where", [b.op("Equal", [x, zero]), zero, b.op("Log", [b.op("Abs", [x])])]);
      const squared = b.op("Pow", [positivePart, b.constant("two", tensor([2], { dtype: "float64", shape: [] }))]);
      return b.op("Max", [squared, negativePart, notZero]);
    },
  },
];

function graphOf(row: Row): Graph {
  const b = new GraphBuilder(row.name);
  const x = b.input("x", "float64", ["batch", ...row.features]);
  b.output(row.build(b, x), "y");
  return b.build();
}

describe("importOnnx agrees with the ONNX interpreter", () => {
  it.each(ROWS)("$name", async (row) => {
    const graph = graphOf(row);
    const model = importOnnx(graph);
    expect(model.inputSpec.shape[0]).toBe("batch");
    const compiled = await compileModel(model, model.inputSpec, { runtime: "js" });
    for (const batch of [3, 5]) {
      const x = normal([batch, ...row.features]);
      const expected = evaluateGraph(graph, { x }).y;
      const actual = await compiled.run(x);
      assertAllClose(actual, expected, { rtol: 1e-12, atol: 1e-12 }, `${row.name}, batch ${batch}`);
    }
  });

  it("has a row for every supported operator but GlobalMaxPool (not in the interpreter; tested below)", () => {
    const covered = new Set(ROWS.flatMap((r) => r.covers));
    expect(SUPPORTED_ONNX_OPERATORS.filter((op) => !covered.has(op))).toEqual(["Gelu", "GlobalMaxPool", "Range", "Split", "Trilu"]);
  });

  it.each([
    { upper: 1, k: 0, keep: (i: number, j: number) => j >= i },
    { upper: 0, k: 0, keep: (i: number, j: number) => j <= i },
    { upper: 1, k: 1, keep: (i: number, j: number) => j - i >= 1 },
  ])("Trilu upper $upper, k $k: on traced data, and on a known mask built from constants", async ({ upper, k, keep }) => {
    const graph: Graph = {
      name: "trilu",
      inputs: [{ name: "x", dtype: "float64", shape: ["batch", 3, 3] }],
      outputs: [{ name: "y", dtype: "float64", shape: ["batch", 3, 3] }],
      nodes: [
        { op: "Trilu", inputs: ["x", "k"], outputs: ["t"], attributes: { upper }, name: "on_data" },
        { op: "Trilu", inputs: ["ones", "k"], outputs: ["mask"], attributes: { upper }, name: "on_constant" },
        { op: "Mul", inputs: ["t", "mask"], outputs: ["y"], attributes: {}, name: "mul" },
      ],
      constants: new Map<string, Tensor>([["k", tensor([BigInt(k)], { dtype: "int64", shape: [] })], ["ones", tensor(new Array(9).fill(2), { dtype: "float64", shape: [3, 3] })]]),
      opset: 17,
    };
    const compiled = await compileModel(importOnnx(graph, { constants: ["ones"] }), { dtype: "float64", shape: ["batch", 3, 3] }, { runtime: "js" });
    const data = normal([2, 3, 3]);
    const expected = Array.from(data.data as Float64Array, (v, index) => (keep(Math.floor(index / 3) % 3, index % 3) ? 2 * v : 0));
    // A masked-out negative entry is -0 (x times 0): compare numerically.
    assertAllClose(Array.from((await compiled.run(data)).data as Float64Array), expected, { rtol: 0, atol: 0 }, "Trilu");
  });

  it("Range (known scalars, as position ids) and Split (sizes given, and equal parts) slice as ONNX defines", async () => {
    // The interpreter's registry lacks Range and Split: the expected values are written out.
    const int64 = (values: number[]) => tensor(values.map(BigInt), { dtype: "int64", shape: values.length === 1 ? [] : [values.length] });
    const graph: Graph = {
      name: "range-split",
      inputs: [{ name: "x", dtype: "float64", shape: ["batch", 5] }],
      outputs: [{ name: "y", dtype: "float64", shape: ["batch", 5] }],
      nodes: [
        { op: "Range", inputs: ["start", "limit", "delta"], outputs: ["positions"], attributes: {}, name: "range" },
        { op: "Cast", inputs: ["positions"], outputs: ["float_positions"], attributes: { to: 11 }, name: "cast" },
        { op: "Split", inputs: ["x", "sizes"], outputs: ["a", "b"], attributes: { axis: 1 }, name: "split" },
        { op: "Split", inputs: ["a"], outputs: ["a1", "a2"], attributes: { axis: 1 }, name: "halves" },
        { op: "Concat", inputs: ["b", "a2", "a1"], outputs: ["joined"], attributes: { axis: 1 }, name: "concat" },
        { op: "Add", inputs: ["joined", "float_positions"], outputs: ["y"], attributes: {}, name: "add" },
      ],
      constants: new Map([["start", int64([1])], ["limit", int64([10])], ["delta", int64([2])], ["sizes", tensor([2n, 3n], { dtype: "int64" })]]),
      opset: 17,
    };
    const compiled = await compileModel(importOnnx(graph), { dtype: "float64", shape: ["batch", 5] }, { runtime: "js" });
    const data = normal([2, 5]);
    const result = await compiled.run(data);
    const positions = [1, 3, 5, 7, 9];
    const expected = [0, 1].flatMap((n) => [2, 3, 4, 1, 0].map((column, k) => (data.data[n * 5 + column] as number) + positions[k]));
    expect(Array.from(result.data as Float64Array)).toEqual(expected);
  });

  it.each(["none", "tanh"])("Gelu (opset 20, approximate %s) is the formula torch.onnx.export writes out", async (approximate) => {
    // The interpreter's registry lacks Gelu: compare with the decomposed formula it can evaluate.
    const gelu: Graph = {
      name: "gelu",
      inputs: [{ name: "x", dtype: "float64", shape: ["batch", 4] }],
      outputs: [{ name: "y", dtype: "float64", shape: ["batch", 4] }],
      nodes: [{ op: "Gelu", inputs: ["x"], outputs: ["y"], attributes: { approximate }, name: "gelu" }],
      constants: new Map(),
      opset: 20,
    };
    const compiled = await compileModel(importOnnx(gelu), { dtype: "float64", shape: ["batch", 4] }, { runtime: "js" });
    const data = normal([3, 4]);
    const b = new GraphBuilder("decomposed");
    const x = b.input("x", "float64", ["batch", 4]);
    b.output(approximate === "none" ? exportedGelu(b, x) : tanhGelu(b, x), "y");
    assertAllClose(await compiled.run(data), evaluateGraph(b.build(), { x: data }).y, { rtol: 1e-14, atol: 1e-14 }, `Gelu ${approximate}`);
  });

  it("GlobalMaxPool is the maximum over the spatial axes", async () => {
    // The graph builder types nodes with the interpreter's registry, which lacks GlobalMaxPool: write the graph out.
    const globalMax: Graph = {
      name: "global-max",
      inputs: [{ name: "x", dtype: "float64", shape: ["batch", 2, 3, 3] }],
      outputs: [{ name: "y", dtype: "float64", shape: ["batch", 2, 1, 1] }],
      nodes: [{ op: "GlobalMaxPool", inputs: ["x"], outputs: ["y"], attributes: {}, name: "pool" }],
      constants: new Map(),
      opset: 17,
    };
    const compiled = await compileModel(importOnnx(globalMax), { dtype: "float64", shape: ["batch", 2, 3, 3] }, { runtime: "js" });
    const data = normal([2, 2, 3, 3]);
    const expected = evaluateGraph(reduceMaxGraph(), { x: data }).y;
    assertAllClose(await compiled.run(data), expected, { rtol: 0, atol: 0 });
  });
});

/** GlobalMaxPool written as ReduceMax over axes 2 and 3, for the interpreter. */
function reduceMaxGraph(): Graph {
  const b = new GraphBuilder("reduce-max");
  const x = b.input("x", "float64", ["batch", 2, 3, 3] as Dim[]);
  b.output(b.op("ReduceMax", [x], { axes: [2, 3], keepdims: 1 }), "y");
  return b.build();
}
