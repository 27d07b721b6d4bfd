import { Generator, softmax, sum, Tensor, type Graph, type Node } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileModel } from "../nn/compile-model.js";
import { importOnnx } from "./import-onnx.js";
import { UnsupportedOnnxOperatorError } from "./unsupported-operator-error.js";

// Older opsets carry as attributes what opset 13+ passes as inputs (axes,
// starts, pads), and Softmax normalized over a flattened tail before 13.
// Expected values come from @curv/tensor's host kernels and slicing.

const generator = new Generator(5);

/** A chain of nodes over `x` `[batch, ...features]` float64, at `opset`. */
function chain(opset: number, features: number[], nodes: Omit<Node, "name">[]): Graph {
  return {
    name: `opset ${opset}`,
    inputs: [{ name: "x", dtype: "float64", shape: ["batch", ...features] }],
    outputs: [{ name: nodes[nodes.length - 1].outputs[0], dtype: "float64", shape: [] }],
    nodes: nodes.map((n, i) => ({ ...n, name: `n${i}` })),
    constants: new Map(),
    opset,
  };
}

const ROWS: { name: string; graph: Graph; features: number[]; expected: (x: Tensor<"float64">) => Tensor }[] = [
  {
    name: "opset 11 Unsqueeze, ReduceSum and Squeeze with axes attributes",
    features: [3],
    graph: chain(11, [3], [
      { op: "Unsqueeze", inputs: ["x"], outputs: ["u"], attributes: { axes: [1] } },
      { op: "ReduceSum", inputs: ["u"], outputs: ["s"], attributes: { axes: [2], keepdims: 1 } },
      { op: "Squeeze", inputs: ["s"], outputs: ["y"], attributes: { axes: [2] } },
    ]),
    expected: (x) => sum(x, [1], true),
  },
  {
    name: "opset 11 Softmax over the last axis (default axis 1 of a matrix)",
    features: [4],
    graph: chain(11, [4], [{ op: "Softmax", inputs: ["x"], outputs: ["y"], attributes: {} }]),
    expected: (x) => softmax(x, 1),
  },
  {
    name: "opset 9 Slice with starts, ends and axes attributes",
    features: [5],
    graph: chain(9, [5], [{ op: "Slice", inputs: ["x"], outputs: ["y"], attributes: { starts: [1], ends: [-1], axes: [1] } }]),
    expected: (x) => x.slice(null, [1, -1]),
  },
  {
    name: "opset 10 Pad with pads and value attributes",
    features: [2],
    graph: chain(10, [2], [{ op: "Pad", inputs: ["x"], outputs: ["y"], attributes: { pads: [0, 1, 0, 2], value: 0.5 } }]),
    expected: (x) => {
      const out = new Tensor("float64", [x.shape[0], 5]);
      for (let n = 0; n < x.shape[0]; n++) out.data.set([0.5, x.get(n, 0), x.get(n, 1), 0.5, 0.5], n * 5);
      return out;
    },
  },
];

describe("importOnnx on older opsets", () => {
  it.each(ROWS)("$name", async ({ graph, features, expected }) => {
    const model = importOnnx(graph);
    const compiled = await compileModel(model, model.inputSpec, { runtime: "js" });
    const x = generator.normal([3, ...features], { dtype: "float64" });
    assertAllClose(await compiled.run(x), expected(x), { rtol: 1e-14, atol: 1e-15 });
  });

  it("refuses an opset 11 Softmax over a flattened tail of axes", async () => {
    const model = importOnnx(chain(11, [2, 3], [{ op: "Softmax", inputs: ["x"], outputs: ["y"], attributes: { axis: 1 } }]));
    await expect(compileModel(model, model.inputSpec, { runtime: "js" })).rejects.toThrow(UnsupportedOnnxOperatorError);
    await expect(compileModel(model, model.inputSpec, { runtime: "js" })).rejects.toThrow(/opset 11 Softmax over axes 1\.\. of a rank-3 input is not supported/);
  });
});
