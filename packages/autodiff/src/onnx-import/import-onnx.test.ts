import { mlpMseFile, readMlpMseGolden } from "@curv/fixtures";
import { CurvError, DTypeError, Generator, GraphBuilder, OnnxError, ShapeError, tensor, type Graph, type Node } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { input } from "../core/leaves.js";
import { ForwardContext } from "../nn/forward-context.js";
import { ModelInputs } from "../nn/model-inputs.js";
import { functionalCall, traceModel } from "../nn/trace-model.js";
import { compileProgram } from "../compile-function.js";
import { makeProgram } from "../core/program.js";
import { reduceSum } from "../primitives/index.js";
import { grad } from "../transforms/vjp.js";
import { importOnnx } from "./import-onnx.js";
import { UnsupportedOnnxOperatorError } from "./unsupported-operator-error.js";

const fixtureBytes = mlpMseFile("mlp-mse.onnx");
const golden = readMlpMseGolden();

describe("importOnnx on the fixture's torch.onnx.export file", () => {
  const model = importOnnx(fixtureBytes, { dtype: "float64" });

  it("makes every initializer a parameter named as in the file, in file order, with the golden values", () => {
    const parameters = model.namedParameters();
    expect(parameters.map(([name]) => name)).toEqual(golden.params.map((p) => p.name));
    parameters.forEach(([, value], i) => {
      expect(value.dtype).toBe("float64");
      expect(value.shape).toEqual(golden.params[i].shape);
      // The file holds float32 values; the golden JSON holds the same values widened to float64.
      expect(Array.from(value.data as Float64Array)).toEqual(golden.params[i].values.data);
    });
    expect(model.numParameters).toBe(88);
  });

  it("keeps the batch axis symbolic and recognizes the three Linear layers", () => {
    expect(model.inputSpec).toEqual({ dtype: "float64", shape: ["batch", 7] });
    const traced = traceModel(model, model.inputSpec);
    expect(traced.output.shape).toEqual(["batch", 3]);
    expect(traced.layers.map((l) => [l.name, l.kind, l.parameterNames])).toEqual([
      ["0", "Linear", ["0.weight", "0.bias"]],
      ["2", "Linear", ["2.weight", "2.bias"]],
      ["4", "Linear", ["4.weight", "4.bias"]],
    ]);
  });

  it("computes in the file's float32 unless asked for float64", () => {
    const float32 = importOnnx(fixtureBytes);
    expect(float32.inputSpec.dtype).toBe("float32");
    expect(float32.parameters().every((p) => p.dtype === "float32")).toBe(true);
  });

  it("round-trips its state dict (a PyTorch state dict loads without renaming)", () => {
    const other = importOnnx(fixtureBytes, { dtype: "float64" });
    const state = model.stateDict();
    state["4.bias"] = tensor([1, 2, 3], { dtype: "float64" });
    other.loadStateDict(state);
    expect(other.stateDict()["4.bias"].toArray()).toEqual([1, 2, 3]);
  });
});

/** A conv block with BatchNorm, an integer shape constant and a frozen scale. */
function convBlock(): Graph {
  const g = new Generator(3);
  const b = new GraphBuilder("conv-block");
  const x = b.input("x", "float32", ["N", 2, 4, 4]);
  const conv = b.op("Conv", [x, b.constant("features.0.weight", g.normal([3, 2, 3, 3])), b.constant("features.0.bias", g.normal([3]))], { pads: [1, 1, 1, 1] });
  const bn = b.op("BatchNormalization", [
    conv,
    b.constant("features.1.weight", g.normal([3])),
    b.constant("features.1.bias", g.normal([3])),
    b.constant("features.1.running_mean", g.normal([3])),
    b.constant("features.1.running_var", g.uniform([3])),
  ]);
  const flat = b.op("Reshape", [b.op("Relu", [bn]), b.constant("shape", tensor([0n, -1n], { dtype: "int64" }))]);
  const scaled = b.op("Mul", [flat, b.constant("temperature", tensor([0.5], { shape: [] }))]);
  b.output(b.op("Gemm", [scaled, b.constant("head.weight", g.normal([2, 48])), b.constant("head.bias", g.normal([2]))], { transB: 1 }), "logits");
  return b.build();
}

describe("importOnnx roles and layers", () => {
  const model = importOnnx(convBlock(), { constants: ["temperature"] });

  it("makes float initializers parameters, running statistics buffers, and integer or frozen ones constants", () => {
    expect(model.namedParameters().map(([n]) => n)).toEqual(["features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "head.weight", "head.bias"]);
    expect(model.namedBuffers().map(([n]) => n)).toEqual(["features.1.running_mean", "features.1.running_var"]);
    expect(Object.keys(model.stateDict())).toEqual([
      "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var", "head.weight", "head.bias",
    ]);
  });

  it("reports the Conv as Conv2d and the Gemm as Linear, and leaves the BatchNorm scope generic", () => {
    const traced = traceModel(model, model.inputSpec);
    expect(traced.layers.map((l) => [l.name, l.kind])).toEqual([["features.0", "Conv2d"], ["head", "Linear"]]);
    expect(model.namedModules().map(([n, m]) => `${n}:${m.kind}`)).toEqual([":OnnxModel", "features:OnnxParameters", "features.0:Conv2d", "features.1:OnnxParameters", "head:Linear"]);
    expect(traced.program.inputs.map((v) => (v.source as { name: string }).name)).toEqual([
      "x", "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "head.weight", "head.bias", "features.1.running_mean", "features.1.running_var",
    ]);
  });

  it("converts parameters and buffers for float64 work", () => {
    const float64 = importOnnx(convBlock(), { dtype: "float64" });
    expect([...float64.parameters(), ...float64.namedBuffers().map(([, t]) => t)].every((t) => t.dtype === "float64")).toBe(true);
    expect(traceModel(float64, float64.inputSpec).output.dtype).toBe("float64");
  });
});

/** A one-node graph over `x` `[batch, 3]` (a literal Graph, so operators the builder does not know can appear). */
function oneNodeGraph(node: Partial<Node> & { op: string }, extra: Partial<Graph> = {}): Graph {
  return {
    name: "one-node",
    inputs: [{ name: "x", dtype: "float32", shape: ["batch", 3] }],
    outputs: [{ name: "y", dtype: "float32", shape: ["batch", 3] }],
    nodes: [{ inputs: ["x"], outputs: ["y"], attributes: {}, name: "the_node", ...node }],
    constants: new Map(),
    opset: 17,
    ...extra,
  };
}

/** Traces the model of `graph` on `[batch, 3]` float32 data; returns what it throws. */
function traceError(graph: Graph): unknown {
  try {
    const model = importOnnx(graph);
    model.forward(input("x", "float32", ["batch", 3]), new ForwardContext(ModelInputs.of(model)));
  } catch (error) {
    return error;
  }
  return undefined;
}

const int64 = (values: number[]) => tensor(values.map(BigInt), { dtype: "int64" });

describe("importOnnx errors", () => {
  it.each([
    { problem: "an unsupported operator", graph: oneNodeGraph({ op: "LSTM" }), type: UnsupportedOnnxOperatorError, message: /operator "LSTM" \(node "the_node"\) is not supported; supported operators: Abs, Add/ },
    { problem: "a custom domain", graph: oneNodeGraph({ op: "Gelu", domain: "com.microsoft" }), type: UnsupportedOnnxOperatorError, message: /Gelu node "the_node" is in the domain "com.microsoft"/ },
    { problem: "two data inputs", graph: oneNodeGraph({ op: "Relu" }, { inputs: [{ name: "x", dtype: "float32", shape: [3] }, { name: "z", dtype: "float32", shape: [3] }] }), type: OnnxError, message: /one data input and one output, got inputs "x", "z"/ },
    { problem: "bytes that are not a model", graph: new Uint8Array([1, 2, 3, 4]), type: OnnxError, message: /could not decode ONNX model/ },
  ])("rejects $problem at import", ({ graph, type, message }) => {
    expect(() => importOnnx(graph)).toThrow(type);
    expect(() => importOnnx(graph)).toThrow(message);
  });

  it("names operator and node in an UnsupportedOnnxOperatorError", () => {
    const error = (() => {
      try {
        importOnnx(oneNodeGraph({ op: "LSTM" }));
      } catch (e) {
        return e as UnsupportedOnnxOperatorError;
      }
    })();
    expect([error?.operator, error?.node, error?.code]).toEqual(["LSTM", "the_node", "ONNX"]);
  });

  it.each([
    { problem: "Dropout in training mode", graph: oneNodeGraph({ op: "Dropout", inputs: ["x", "", "train"] }, { constants: new Map([["train", tensor([true], { dtype: "bool", shape: [] })]]) }), message: /Dropout node "the_node": Dropout in training mode is not supported/ },
    { problem: "MaxPool's Indices output", graph: oneNodeGraph({ op: "MaxPool", outputs: ["y", "indices"], attributes: { kernel_shape: [2, 2] } }), message: /MaxPool's Indices output is not supported/ },
    { problem: "Slice with steps", graph: oneNodeGraph({ op: "Slice", inputs: ["x", "s", "e", "a", "st"] }, { constants: new Map([["s", int64([0])], ["e", int64([3])], ["a", int64([1])], ["st", int64([2])]]) }), message: /Slice with steps \[2\] is not supported/ },
    { problem: "arithmetic on the symbolic batch extent", graph: oneNodeGraph({ op: "Add", inputs: ["shape", "one"], outputs: ["y"] }, { constants: new Map([["one", int64([1])]]), nodes: [{ op: "Shape", inputs: ["x"], outputs: ["shape"], attributes: {}, name: "shape_of_x" }, { op: "Add", inputs: ["shape", "one"], outputs: ["y"], attributes: {}, name: "the_node" }] }), message: /Add of "batch" and 1 \(a symbolic extent whose value is only known at run time\)/ },
    { problem: "Gather with data-dependent indices", graph: oneNodeGraph({ op: "Gather", inputs: ["x", "x"], attributes: { axis: 1 } }), message: /Gather with indices computed from the data, other than rows of a matrix \(axis 1, data of rank 2\) is not supported/ },
  ])("rejects $problem while tracing, naming the node", ({ graph, message }) => {
    const error = traceError(graph);
    expect(error).toBeInstanceOf(UnsupportedOnnxOperatorError);
    expect((error as Error).message).toMatch(message);
  });

  it("wraps a primitive's error with the node that caused it", () => {
    const graph = oneNodeGraph({ op: "MatMul", inputs: ["x", "w"] }, { constants: new Map([["w", tensor([[1, 2]])]]) });
    const error = traceError(graph);
    expect(error).toBeInstanceOf(OnnxError);
    expect((error as CurvError).message).toMatch(/^MatMul node "the_node": matmul.*inner extents differ/);
  });

  it.each([
    { problem: "a float64 input to a float32 model", x: input("x", "float64", ["batch", 3]), type: DTypeError, message: /input must be float32, got float64 \(import with \{ dtype: "float64" \}/ },
    { problem: "a wrong feature extent", x: input("x", "float32", ["batch", 4]), type: ShapeError, message: /input must have shape \[batch, 3\], got \[batch, 4\]/ },
  ])("rejects $problem", ({ x, type, message }) => {
    const model = importOnnx(oneNodeGraph({ op: "Relu" }));
    const ctx = new ForwardContext(ModelInputs.of(model));
    expect(() => model.forward(x, ctx)).toThrow(type);
    expect(() => model.forward(x, ctx)).toThrow(message);
  });

  it("refuses initializer names that cannot be dotted parameter names", () => {
    const graph = oneNodeGraph({ op: "Add", inputs: ["x", "a..b"] }, { constants: new Map([["a..b", tensor([1, 2, 3])]]) });
    expect(() => importOnnx(graph)).toThrow(/initializer name "a..b" has an empty segment/);
    const clash = oneNodeGraph({ op: "Add", inputs: ["x", "a"] }, {
      nodes: [{ op: "Add", inputs: ["x", "a"], outputs: ["t"], attributes: {}, name: "n1" }, { op: "Add", inputs: ["t", "a.b"], outputs: ["y"], attributes: {}, name: "n2" }],
      constants: new Map([["a", tensor([1, 2, 3])], ["a.b", tensor([1, 2, 3])]]),
    });
    expect(() => importOnnx(clash)).toThrow(/initializer "a.b" cannot be placed in the parameter tree/);
  });
});

describe("importOnnx with a tied initializer", () => {
  it("imports an initializer read by two nodes as one parameter whose gradient sums both uses", async () => {
    // y = (x * w) * w, as an exporter writes two layers whose equal weights it merged.
    const graph = oneNodeGraph({ op: "Mul" }, {
      nodes: [{ op: "Mul", inputs: ["x", "w"], outputs: ["h"], attributes: {}, name: "first" }, { op: "Mul", inputs: ["h", "w"], outputs: ["y"], attributes: {}, name: "second" }],
      constants: new Map([["w", tensor([0.5, -2, 3], { dtype: "float32" })]]),
    });
    const model = importOnnx(graph, { dtype: "float64" });
    expect(model.namedParameters().map(([name]) => name)).toEqual(["w"]);
    const leaves = ModelInputs.of(model);
    const x = input("x", "float64", ["batch", 3]);
    const [gradient] = grad(([w]) => reduceSum(functionalCall(model, x, leaves.withParameters([w])).output))(leaves.parameters);
    const program = makeProgram("tied", [x, ...leaves.values], [{ name: "gradient", value: gradient }]);
    const compiled = await compileProgram(program, { runtime: "js" });
    const data = tensor([[1, 2, 3], [-1, 0.5, 2]], { dtype: "float64" });
    const { gradient: result } = await compiled.run({ x: data, ...leaves.tensors() });
    // d/dw sum(x w^2) = 2 w sum_n x_n: both uses counted.
    const w = [0.5, -2, 3];
    expect(Array.from(result.data as Float64Array)).toEqual(w.map((wi, i) => 2 * wi * (data.data[i] + data.data[3 + i])));
  });
});
