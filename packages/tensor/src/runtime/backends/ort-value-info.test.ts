import { describe, expect, it } from "vitest";
import { GraphBuilder } from "../../graph/builder.js";
import { validateGraph } from "../../graph/validate.js";
import { decodeOnnx, encodeOnnx } from "../../onnx/index.js";
import { Tensor } from "../../tensor.js";
import { compile } from "../compile-node.js";
import { DEEP_GRAPH_NODES } from "./ort-node-backend.js";
import { intermediateTypes } from "./ort-value-info.js";

/** `ones([batch, 4]) * x`, where the ones are expanded to Concat(Shape(x)[0:1], [4]) as curv's programs build them. */
function expandedGraph() {
  const b = new GraphBuilder("expand-to-batch");
  const x = b.input("x", "float32", ["batch", 4]);
  const batch = b.op("Shape", [x], { start: 0, end: 1 });
  const shape = b.op("Concat", [batch, b.constant("four", new Tensor("int64", [1], BigInt64Array.from([4n])))], { axis: 0 });
  const ones = b.op("Expand", [b.constant("one", new Tensor("float32", [], Float32Array.from([1]))), shape]);
  const reshaped = b.op("Reshape", [ones, b.constant("back", new Tensor("int64", [2], BigInt64Array.from([0n, 4n])))]);
  b.output(b.op("Mul", [reshaped, x]), "y");
  return b.build();
}

describe("intermediateTypes (ORT's value_info)", () => {
  it("carries the batch symbol through Shape, Concat, Expand and Reshape, where plain inference loses it", () => {
    const plain = [...validateGraph(expandedGraph())].find(([name]) => name.startsWith("expand"));
    expect(plain?.[1].shape).toEqual(["?", "?"]);
    const types = Object.fromEntries(intermediateTypes(expandedGraph()).map((v) => [v.name, v.shape]));
    const expanded = Object.entries(types).find(([name]) => name.startsWith("expand"));
    const reshaped = Object.entries(types).find(([name]) => name.startsWith("reshape"));
    expect(expanded?.[1]).toEqual(["batch", 4]);
    expect(reshaped?.[1]).toEqual(["batch", 4]);
  });

  it("is written into the encoded model, and ORT runs the graph with it at any batch size", async () => {
    const graph = expandedGraph();
    const bytes = encodeOnnx(graph, { valueInfo: intermediateTypes(graph) });
    expect(decodeOnnx(bytes).nodes.length).toBe(graph.nodes.length);
    const program = await compile(graph, { providers: ["cpu"] });
    for (const batch of [1, 3]) {
      const x = new Tensor("float32", [batch, 4], Float32Array.from({ length: batch * 4 }, (_, i) => i));
      const { y } = await program.run({ x });
      expect(Array.from(y.data as Float32Array)).toEqual(Array.from(x.data as Float32Array));
    }
  });

  it(`loads a chain deeper than ${DEEP_GRAPH_NODES} nodes (no ORT optimization there) and computes it right`, async () => {
    const b = new GraphBuilder("deep-chain");
    const x = b.input("x", "float32", ["batch", 4]);
    const shape = b.op("Concat", [b.op("Shape", [x], { start: 0, end: 1 }), b.constant("four", new Tensor("int64", [1], BigInt64Array.from([4n])))], { axis: 0 });
    let value = b.op("Mul", [b.op("Expand", [b.constant("one", new Tensor("float32", [], Float32Array.from([1]))), shape]), x]);
    for (let i = 0; i < DEEP_GRAPH_NODES + 2; i++) value = b.op("Neg", [value]);
    b.output(value, "y");
    const program = await compile(b.build(), { providers: ["cpu"] });
    const x2 = new Tensor("float32", [2, 4], Float32Array.from([1, -2, 3, -4, 5, -6, 7, -8]));
    expect(Array.from((await program.run({ x: x2 })).y.data as Float32Array)).toEqual(Array.from(x2.data as Float32Array));
  });
});
