import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GraphBuilder, validateGraph } from "../graph/index.js";
import type { Graph } from "../graph/ir.js";
import { Tensor, tensor } from "../tensor.js";
import { decodeOnnx } from "./decode-model.js";
import { encodeOnnx } from "./encode-model.js";

/** A graph that uses every dtype, dim kind, attribute kind and input/output form the IR has. */
function everyFeatureGraph(): Graph {
  return {
    name: "every feature",
    inputs: [
      { name: "x", dtype: "float32", shape: ["batch", 4] },
      { name: "x64", dtype: "float64", shape: ["batch", "width"] },
      { name: "indices", dtype: "int64", shape: [3] },
      { name: "mask", dtype: "bool", shape: [] },
      { name: "count", dtype: "int32", shape: [0, "batch", 1] },
    ],
    outputs: [
      { name: "first", dtype: "float32", shape: ["batch", 2] },
      { name: "second", dtype: "float32", shape: ["batch", 2] },
      { name: "clipped", dtype: "float32", shape: ["batch", 4] },
      { name: "picked", dtype: "float64", shape: ["batch", 3] },
    ],
    nodes: [
      { op: "Split", inputs: ["x", "splits"], outputs: ["first", "second"], attributes: { axis: 1 }, name: "split" },
      { op: "Clip", inputs: ["x", "", "high"], outputs: ["clipped"], attributes: {} },
      { op: "Gather", inputs: ["x64", "indices"], outputs: ["picked"], attributes: { axis: -1 } },
      { op: "Dropout", inputs: ["x", "", ""], outputs: ["dropped", ""], attributes: { seed: 0 } },
      {
        op: "Constant",
        inputs: [],
        outputs: ["table"],
        attributes: { value: tensor([[1.5, -2], [0, 3]], { dtype: "float64" }) },
        name: "table constant",
      },
      {
        op: "Custom",
        inputs: ["x"],
        outputs: ["custom"],
        domain: "com.microsoft",
        attributes: {
          float: 0.1,
          floatInteger: 2,
          alpha: 1,
          int: -7,
          zero: 0,
          big: 2 ** 40,
          string: "naïve ✓",
          empty: "",
          tensor: tensor([true, false]),
          floats: [0.5, 1e-5, -3.25],
          ints: [0, -1, 2 ** 53 - 1],
          strings: ["a", "", "ü"],
          emptyInts: [],
        },
      },
    ],
    constants: new Map<string, Tensor>([
      ["splits", tensor([2n, 2n], { dtype: "int64" })],
      ["high", tensor(6, { dtype: "float32" })],
      ["f32", tensor([[1.5, -0, Number.POSITIVE_INFINITY], [Number.NaN, 3.4028234663852886e38, 1e-45]], { dtype: "float32" })],
      ["f64", tensor([Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE], { dtype: "float64" })],
      ["i32", tensor([-(2 ** 31), 2 ** 31 - 1, 0], { dtype: "int32" })],
      ["i64", tensor([-(2n ** 63n), 2n ** 63n - 1n, -1n], { dtype: "int64" })],
      ["bool", tensor([[true, false, true]])],
      ["scalar", tensor(-2.5, { dtype: "float64" })],
      ["empty", new Tensor("float32", [0, 3])],
    ]),
    opset: 17,
  };
}

const fixture = new Uint8Array(readFileSync(new URL("./testdata/mlp-mse.onnx", import.meta.url)));

describe("encodeOnnx then decodeOnnx", () => {
  it("gives back a graph with every dtype, dim kind, attribute kind and input form", () => {
    const graph = everyFeatureGraph();
    const decoded = decodeOnnx(encodeOnnx(graph));
    expect(decoded).toEqual(graph);
    // toEqual compares Maps as sets of entries; the order of constants is kept too.
    expect([...decoded.constants.keys()]).toEqual([...graph.constants.keys()]);
    // Compare bits too, so -0, NaN and denormals are checked exactly.
    const bits = (t: Tensor) => [...new Uint8Array((t.data as Float32Array).buffer)];
    expect(bits(decoded.constants.get("f32")!)).toEqual(bits(graph.constants.get("f32")!));
  });

  it("gives back a graph built with GraphBuilder", () => {
    const b = new GraphBuilder("builder mlp");
    const x = b.input("x", "float64", ["batch", 3]);
    const w = b.constant("0.weight", tensor([[0.5, -1, 2], [1.5, 0.25, -0.75]], { dtype: "float64" }));
    const bias = b.constant("0.bias", tensor([0.1, -0.2], { dtype: "float64" }));
    const hidden = b.op("Relu", [b.op("Gemm", [x, w, bias], { alpha: 1, transB: 1 })]);
    const [dropped] = b.op("Dropout", [hidden], { seed: 3 }, { outputs: 2 });
    const probabilities = b.op("Softmax", [dropped], { axis: -1 });
    const total = b.op("ReduceSum", [probabilities, b.constant("axes", tensor([1n]))], { keepdims: 0 });
    b.output(probabilities, "probabilities");
    b.output(total, "total");
    const graph = b.build();
    const decoded = decodeOnnx(encodeOnnx(graph));
    expect(decoded).toEqual(graph);
    expect(validateGraph(decoded)).toEqual(validateGraph(graph));
  });

  it("keeps the opset it is given", () => {
    for (const opset of [13, 18, 21]) {
      expect(decodeOnnx(encodeOnnx({ ...everyFeatureGraph(), opset })).opset).toBe(opset);
    }
  });

  it("writes an attribute's float32 value, which reads back as the shortest decimal with that value", () => {
    const graph = everyFeatureGraph();
    const custom = (g: Graph) => g.nodes.find((n) => n.op === "Custom")!.attributes;
    const written = { ...custom(graph), float: Math.PI, floats: [1 / 3] };
    const nodes = graph.nodes.map((n) => (n.op === "Custom" ? { ...n, attributes: written } : n));
    const read = custom(decodeOnnx(encodeOnnx({ ...graph, nodes })));
    expect(read.float).toBe(3.1415927);
    expect(read.floats).toEqual([0.33333334]);
    expect(Math.fround(read.float as number)).toBe(Math.fround(Math.PI));
  });
});

describe("decodeOnnx then encodeOnnx", () => {
  it("gives back the PyTorch export's graph, and then the same bytes every time", () => {
    const graph = decodeOnnx(fixture);
    const bytes = encodeOnnx(graph);
    expect(decodeOnnx(bytes)).toEqual(graph);
    expect(encodeOnnx(decodeOnnx(bytes))).toEqual(bytes);
  });
});
