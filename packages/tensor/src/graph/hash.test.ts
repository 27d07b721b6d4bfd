import { describe, expect, it } from "vitest";
import { ones, tensor } from "../tensor.js";
import { GraphBuilder } from "./builder.js";
import { hashGraph } from "./hash.js";
import type { Graph, Node } from "./ir.js";

/** A small MLP layer: y = relu(x W + b) - x[:, :1]. */
function layer(): Graph {
  const b = new GraphBuilder("layer");
  const x = b.input("x", "float32", ["batch", 3]);
  const w = b.constant("w", tensor([[1, 2], [3, 4], [5, 6]]));
  const bias = b.constant("b", tensor([0.5, -0.5]));
  const h = b.op("Relu", [b.op("Add", [b.op("MatMul", [x, w]), bias])]);
  const s = b.op("ReduceMean", [h], { axes: [1], keepdims: 1 });
  b.output(b.op("Sub", [h, s]), "y");
  return b.build();
}

/** The same graph with every name (values, nodes, graph, symbols) replaced. */
function renamed(graph: Graph): Graph {
  const rename = (name: string) => (name === "" ? "" : `renamed/${name}`);
  const symbol = (d: number | string) => (typeof d === "string" ? `N_${d}` : d);
  return {
    ...graph,
    name: "other",
    inputs: graph.inputs.map((i) => ({ ...i, name: rename(i.name), shape: i.shape.map(symbol) })),
    outputs: graph.outputs.map((o) => ({ ...o, name: rename(o.name), shape: o.shape.map(symbol) })),
    nodes: graph.nodes.map((n, k) => ({ ...n, name: `n${k}`, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) })),
    // Constants in another insertion order.
    constants: new Map([...graph.constants].reverse().map(([name, value]) => [rename(name), value])),
  };
}

function withNode(graph: Graph, index: number, change: (node: Node) => Node): Graph {
  return { ...graph, nodes: graph.nodes.map((n, k) => (k === index ? change(n) : n)) };
}

describe("hashGraph", () => {
  it("is 16 hex digits and ignores every name", () => {
    const graph = layer();
    expect(hashGraph(graph)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashGraph(renamed(graph))).toBe(hashGraph(graph));
    expect(hashGraph(layer())).toBe(hashGraph(graph));
  });

  it.each<[string, (g: Graph) => Graph]>([
    ["an attribute value", (g) => withNode(g, 3, (n) => ({ ...n, attributes: { axes: [0], keepdims: 1 } }))],
    ["an added attribute", (g) => withNode(g, 2, (n) => ({ ...n, attributes: { foo: 1 } }))],
    ["an op", (g) => withNode(g, 2, (n) => ({ ...n, op: "Sigmoid" }))],
    ["the order of inputs", (g) => withNode(g, 4, (n) => ({ ...n, inputs: [...n.inputs].reverse() }))],
    ["a domain", (g) => withNode(g, 2, (n) => ({ ...n, domain: "com.example" }))],
    ["a constant's contents", (g) => ({ ...g, constants: new Map([...g.constants].map(([k, v]) => [k, k === "b" ? tensor([0.5, 0.5]) : v])) })],
    ["a constant's dtype", (g) => ({ ...g, constants: new Map([...g.constants].map(([k, v]) => [k, k === "b" ? v.astype("float64") : v])) })],
    ["a constant's shape", (g) => ({ ...g, constants: new Map([...g.constants].map(([k, v]) => [k, k === "b" ? v.reshape([1, 2]) : v])) })],
    ["an input dtype", (g) => ({ ...g, inputs: [{ ...g.inputs[0], dtype: "float64" }] })],
    ["an input extent", (g) => ({ ...g, inputs: [{ ...g.inputs[0], shape: [4, 3] }] })],
    ["the outputs", (g) => ({ ...g, outputs: [...g.outputs, { name: "matmul_0", dtype: "float32", shape: ["batch", 2] }] })],
    ["the opset", (g) => ({ ...g, opset: 18 })],
    ["a removed node", (g) => ({ ...g, nodes: g.nodes.slice(0, -1), outputs: [{ ...g.outputs[0], name: g.nodes[3].outputs[0] }] })],
  ])("changes with %s", (_what, change) => {
    const graph = layer();
    expect(hashGraph(change(graph))).not.toBe(hashGraph(graph));
  });

  it("tells apart symbols that are shared from symbols that are not", () => {
    const build = (second: string) => {
      const b = new GraphBuilder("g");
      const x = b.input("x", "float32", ["n", 2]);
      const y = b.input("y", "float32", [second, 2]);
      b.output(b.op("Add", [x, y]), "z");
      return b.build();
    };
    expect(hashGraph(build("n"))).not.toBe(hashGraph(build("m")));
  });

  it("handles long chains (the cache key of big programs)", () => {
    const b = new GraphBuilder("chain");
    let v = b.input("x", "float32", ["batch", 8]);
    const w = b.constant("w", ones([8, 8]));
    for (let i = 0; i < 3000; i++) v = b.op(i % 2 ? "Tanh" : "MatMul", i % 2 ? [v] : [v, w]);
    b.output(v, "y");
    const graph = b.build();
    expect(hashGraph(renamed(graph))).toBe(hashGraph(graph));
  });
});
