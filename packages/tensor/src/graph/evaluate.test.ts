import { describe, expect, it } from "vitest";
import { DTypeError, GraphError, ShapeError, ValueError } from "../errors.js";
import { tensor, zeros } from "../tensor.js";
import { GraphBuilder } from "./builder.js";
import { evaluateGraph, evaluateNode } from "./evaluate.js";
import type { Graph } from "./ir.js";

/** y = relu(x W) + u, with x: [batch, 2] and u: [batch, 1]. */
function graph(): Graph {
  const b = new GraphBuilder("g");
  const x = b.input("x", "float64", ["batch", 2]);
  const u = b.input("u", "float64", ["batch", 1]);
  const w = b.constant("w", tensor([[1, -1], [2, 0]], { dtype: "float64" }));
  const h = b.op("Relu", [b.op("MatMul", [x, w])]);
  b.output(b.op("Add", [h, u]), "y");
  b.output(h, "h");
  return b.build();
}

describe("evaluateGraph", () => {
  it("runs the nodes and returns the outputs, checked by hand", () => {
    const x = tensor([[1, 1], [-1, 0]], { dtype: "float64" });
    const u = tensor([[10], [20]], { dtype: "float64" });
    // x W = [[3, -1], [-1, 1]]; relu = [[3, 0], [0, 1]].
    const { y, h } = evaluateGraph(graph(), { x, u });
    expect(h.toNested()).toEqual([[3, 0], [0, 1]]);
    expect(y.toNested()).toEqual([[13, 10], [20, 21]]);
  });

  it("fetches any value, running only what it needs", () => {
    const g = graph();
    const x = tensor([[1, 1]], { dtype: "float64" });
    const fetched = evaluateGraph(g, { x, u: zeros([1, 1], "float64") }, ["matmul_0", "w", "x"]);
    expect(Object.keys(fetched)).toEqual(["matmul_0", "w", "x"]);
    expect(fetched.matmul_0.toNested()).toEqual([[3, -1]]);
    expect(fetched.w).toBe(g.constants.get("w"));
    expect(() => evaluateGraph(g, { x, u: zeros([1, 1], "float64") }, ["nope"])).toThrow('fetch "nope" is not a value of the graph');
  });

  it("takes the batch size from the feeds", () => {
    const x = zeros([5, 2], "float64");
    expect(evaluateGraph(graph(), { x, u: zeros([5, 1], "float64") }).y.shape).toEqual([5, 2]);
  });

  it.each<[string, Record<string, unknown>, typeof ValueError, string]>([
    ["a missing feed", { x: zeros([2, 2], "float64") }, ValueError, 'graph "g": missing feed for input "u" (float64 [batch, 1])'],
    ["an unknown feed", { x: zeros([2, 2], "float64"), u: zeros([2, 1], "float64"), v: zeros([1]) }, ValueError, 'unknown feed "v"; the inputs are "x", "u"'],
    ["a non-tensor feed", { x: [[1, 2]], u: zeros([1, 1], "float64") }, ValueError, 'feed "x" must be a Tensor'],
    ["a wrong dtype", { x: zeros([2, 2]), u: zeros([2, 1], "float64") }, DTypeError, 'input "x" must be float64, got float32'],
    ["a wrong rank", { x: zeros([2], "float64"), u: zeros([2, 1], "float64") }, ShapeError, 'input "x" must have rank 2 (shape [batch, 2]), got [2]'],
    ["a wrong extent", { x: zeros([2, 3], "float64"), u: zeros([2, 1], "float64") }, ShapeError, 'input "x" axis 1 must be 2 (shape [batch, 2]), got 3'],
    ["inconsistent symbols", { x: zeros([4, 2], "float64"), u: zeros([3, 1], "float64") }, ShapeError, 'input "u" axis 0 ("batch") is 3, but input "x" set "batch" to 4'],
  ])("rejects %s", (_what, feeds, errorClass, message) => {
    const run = () => evaluateGraph(graph(), feeds as never);
    expect(run).toThrow(errorClass);
    expect(run).toThrow(message);
  });

  it("rejects NaN and Inf in feeds only when asked", () => {
    const x = tensor([[1, 2], [3, NaN]], { dtype: "float64" });
    const u = zeros([2, 1], "float64");
    expect(Number.isNaN(evaluateGraph(graph(), { x, u }).y.get(1, 0))).toBe(true);
    expect(() => evaluateGraph(graph(), { x, u }, undefined, { checkFinite: true })).toThrow('input "x" holds NaN at [1, 1]');
    const v = tensor([[Infinity]], { dtype: "float64" });
    expect(() => evaluateGraph(graph(), { x: zeros([1, 2], "float64"), u: v }, undefined, { checkFinite: true })).toThrow(ValueError);
  });

  it("names the node whose kernel fails, and inputs no node defines", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "int32", [2]);
    const y = b.input("y", "int32", [2]);
    b.output(b.op("Div", [x, y], {}, { name: "ratio" }), "z");
    const run = () => evaluateGraph(b.build(), { x: tensor([1, 2], { dtype: "int32" }), y: tensor([1, 0], { dtype: "int32" }) });
    expect(run).toThrow(ValueError);
    expect(run).toThrow('node "ratio" (Div): div: integer division by zero');

    const dangling: Graph = { ...graph(), nodes: [{ op: "Relu", inputs: ["ghost"], outputs: ["y"], attributes: {} }] };
    expect(() => evaluateGraph(dangling, { x: zeros([1, 2], "float64"), u: zeros([1, 1], "float64") }, ["y"]))
      .toThrow('node 0 (Relu): input 0 "ghost" is not defined');
  });
});

describe("evaluateNode", () => {
  it("evaluates one node and names it in errors", () => {
    const node = { op: "Relu", inputs: ["a"], outputs: ["b"], attributes: {}, name: "act" };
    expect(evaluateNode(node, [tensor([-1, 1])])[0].toArray()).toEqual([0, 1]);
    expect(() => evaluateNode({ ...node, op: "Nope" }, [tensor([1])])).toThrow(GraphError);
    expect(() => evaluateNode({ ...node, op: "Nope" }, [tensor([1])])).toThrow('node "act" (Nope): unknown operator "Nope"');
  });
});
