import { describe, expect, it } from "vitest";
import { DTypeError, GraphError, ShapeError } from "../errors.js";
import { tensor } from "../tensor.js";
import { GraphBuilder } from "./builder.js";
import type { Graph, Node } from "./ir.js";
import { validateGraph } from "./validate.js";

/** logits = x W; probabilities = softmax(logits). */
function classifier(): Graph {
  const b = new GraphBuilder("classifier");
  const x = b.input("x", "float32", ["batch", 4]);
  const w = b.constant("w", tensor(new Float32Array(12), { shape: [4, 3] }));
  const logits = b.op("MatMul", [x, w], {}, { name: "linear" });
  b.output(logits, "logits");
  b.output(b.op("Softmax", [logits], { axis: -1 }, { name: "softmax" }), "probabilities");
  return b.build();
}

const withNodes = (g: Graph, nodes: Node[]): Graph => ({ ...g, nodes });

describe("validateGraph", () => {
  it("returns the type of every value", () => {
    const types = validateGraph(classifier());
    expect([...types.keys()]).toEqual(["x", "w", "logits", "probabilities"]);
    expect(types.get("logits")).toEqual({ dtype: "float32", shape: ["batch", 3] });
    expect(types.get("w")).toEqual({ dtype: "float32", shape: [4, 3] });
  });

  it("accepts a declared extent where inference has an unknown one", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", [2, 6]);
    const y = b.op("Reshape", [x, b.op("Concat", [b.input("lead", "int64", [1]), b.constant("rest", tensor([3], { dtype: "int64" }))], { axis: 0 })]);
    b.output(y, "y");
    const graph = b.build();
    expect(graph.outputs[0].shape).toEqual(["?", "?"]);
    expect(() => validateGraph({ ...graph, outputs: [{ ...graph.outputs[0], shape: [4, 3] }] })).not.toThrow();
  });

  it.each<[string, (g: Graph) => Graph, typeof GraphError, string]>([
    [
      "an input defined later",
      (g) => withNodes(g, [...g.nodes].reverse()),
      GraphError,
      'node "softmax" (Softmax): input 0 "logits" is not defined by a graph input, a constant or an earlier node',
    ],
    [
      "a missing input",
      (g) => withNodes(g, [{ ...g.nodes[0], inputs: ["x", "W"] }, g.nodes[1]]),
      GraphError,
      'node "linear" (MatMul): input 1 "W" is not defined',
    ],
    ["an unknown op", (g) => withNodes(g, [{ ...g.nodes[0], op: "Linear" }, g.nodes[1]]), GraphError, 'node "linear" (Linear): unknown operator "Linear"'],
    ["a foreign domain", (g) => withNodes(g, [{ ...g.nodes[0], domain: "com.microsoft" }, g.nodes[1]]), GraphError, 'domain "com.microsoft" is not supported'],
    [
      "a bad attribute value",
      (g) => withNodes(g, [g.nodes[0], { ...g.nodes[1], attributes: { axis: 2 } }]),
      GraphError,
      'node "softmax" (Softmax): attribute "axis" is 2, out of range for rank 2',
    ],
    [
      "an unknown attribute",
      (g) => withNodes(g, [g.nodes[0], { ...g.nodes[1], attributes: { dim: 1 } }]),
      GraphError,
      'node "softmax" (Softmax): attribute "dim" is not an attribute of this operator (known: axis)',
    ],
    [
      "too many inputs",
      (g) => withNodes(g, [{ ...g.nodes[0], inputs: ["x", "w", "w"] }, g.nodes[1]]),
      GraphError,
      'node "linear" (MatMul): expects 2 inputs (A, B), got 3',
    ],
    [
      "too many outputs",
      (g) => withNodes(g, [{ ...g.nodes[0], outputs: ["logits", "extra"] }, g.nodes[1]]),
      GraphError,
      'node "linear" (MatMul): has 2 outputs, MatMul produces 1',
    ],
    [
      "a duplicate value name",
      (g) => withNodes(g, [g.nodes[0], { ...g.nodes[1], outputs: ["x"] }]),
      GraphError,
      'node "softmax" (Softmax): value name "x" is already defined',
    ],
    [
      "a constant named like an input",
      (g) => ({ ...g, constants: new Map([["x", tensor([1])], ...g.constants]) }),
      GraphError,
      'graph "classifier": constant "x": value name "x" is already defined',
    ],
    [
      "a dtype mismatch",
      (g) => ({ ...g, constants: new Map([["w", tensor(new Float64Array(12), { shape: [4, 3] })]]) }),
      DTypeError,
      'node "linear" (MatMul): input 1 ("B") is float64 but input 0 is float32',
    ],
    [
      "a shape mismatch",
      (g) => ({ ...g, constants: new Map([["w", tensor(new Float32Array(15), { shape: [5, 3] })]]) }),
      ShapeError,
      'node "linear" (MatMul): inner extents differ: [batch, 4] times [5, 3]',
    ],
    ["a missing output", (g) => ({ ...g, outputs: [...g.outputs, { name: "loss", dtype: "float32", shape: [] }] }), GraphError, 'output "loss" is not a graph input'],
    [
      "an output of another type",
      (g) => ({ ...g, outputs: [{ ...g.outputs[0], shape: ["batch", 4] }] }),
      GraphError,
      'graph "classifier": output "logits" is declared float32 [batch, 4] but inferred float32 [batch, 3]',
    ],
    ["a repeated output", (g) => ({ ...g, outputs: [g.outputs[0], g.outputs[0]] }), GraphError, 'output "logits" is declared twice'],
    ["a bad input type", (g) => ({ ...g, inputs: [{ ...g.inputs[0], shape: [1.5, 4] }] }), GraphError, 'input "x": shape [1.5, 4] must hold'],
    ["another opset", (g) => ({ ...g, opset: 13 }), GraphError, "opset 13 is not supported"],
  ])("rejects %s", (_what, change, errorClass, message) => {
    const run = () => validateGraph(change(classifier()));
    expect(run).toThrow(errorClass);
    expect(run).toThrow(message);
  });

  it("names unnamed nodes by position", () => {
    const g = classifier();
    const run = () => validateGraph(withNodes(g, [{ ...g.nodes[0], name: undefined, inputs: ["x", "v"] }, g.nodes[1]]));
    expect(run).toThrow('node 0 (MatMul): input 1 "v" is not defined');
  });
});
