import { describe, expect, it } from "vitest";
import { ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { GraphBuilder } from "./builder.js";
import { eliminateCommonSubexpressions } from "./eliminate-common-subexpressions.js";
import { eliminateDeadCode } from "./eliminate-dead-code.js";
import { evaluateGraph } from "./evaluate.js";
import { foldConstants } from "./fold-constants.js";
import type { Graph } from "./ir.js";
import { simplify } from "./simplify.js";
import { validateGraph } from "./validate.js";

const f64 = (values: number[] | number[][], shape?: number[]) => tensor(values, { dtype: "float64", shape });
const i64 = (...values: number[]) => tensor(values, { dtype: "int64" });

/** Feeds of random normals for every input, with symbolic extents set to `batch`. */
function randomFeeds(graph: Graph, seed: number, batch = 3): Record<string, Tensor> {
  const generator = new Generator(seed);
  return Object.fromEntries(
    graph.inputs.map((input) => {
      const shape = input.shape.map((d) => (typeof d === "number" ? d : batch));
      return [input.name, generator.normal(shape, { dtype: input.dtype as "float64" })];
    }),
  );
}

/** Checks that a pass keeps the graph valid, its inputs and outputs, and its values on random feeds. */
function expectSameGraphFunction(before: Graph, after: Graph): void {
  validateGraph(after);
  expect(after.inputs).toEqual(before.inputs);
  expect(after.outputs).toEqual(before.outputs);
  for (const seed of [1, 2]) {
    const feeds = randomFeeds(before, seed);
    const expected = evaluateGraph(before, feeds);
    const actual = evaluateGraph(after, feeds);
    for (const { name } of before.outputs) assertAllClose(actual[name], expected[name], { rtol: 1e-12, atol: 1e-12 }, name);
  }
}

const ops = (graph: Graph) => graph.nodes.map((n) => n.op);

describe("eliminateDeadCode", () => {
  it("removes nodes and constants no output needs, and unread optional outputs", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", ["batch", 1, 4, 4]);
    const unused = b.constant("unused", f64([1, 2]));
    b.op("Exp", [b.op("Neg", [x])]);
    b.op("Add", [unused, unused]);
    const [pooled] = b.op("MaxPool", [x], { kernel_shape: [2, 2] }, { outputs: 2 });
    b.output(b.op("Relu", [pooled]), "y");
    const graph = b.build();
    const lean = eliminateDeadCode(graph);
    expect(ops(lean)).toEqual(["MaxPool", "Relu"]);
    expect(lean.nodes[0].outputs).toHaveLength(1);
    expect([...lean.constants.keys()]).toEqual([]);
    expectSameGraphFunction(graph, lean);
  });

  it("keeps everything that reaches an output, and returns a new graph", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", [2]);
    b.output(b.op("Neg", [x]), "y");
    const graph = b.build();
    const same = eliminateDeadCode(graph);
    expect(same).not.toBe(graph);
    expect(same.nodes).toEqual(graph.nodes);
  });
});

describe("eliminateCommonSubexpressions", () => {
  function duplicated(): Graph {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", ["batch", 2]);
    const c1 = b.constant("c1", f64([1, 2]));
    const c2 = b.constant("c2", f64([1, 2]));
    const c3 = b.constant("c3", tensor([1, 2], { dtype: "float32" }));
    const a = b.op("Mul", [x, c1]);
    const c = b.op("Mul", [x, c2]);
    const s1 = b.op("Softmax", [a], { axis: 1 });
    const s2 = b.op("Softmax", [c], { axis: 1 });
    const s3 = b.op("Softmax", [c], { axis: 0 });
    b.output(b.op("Add", [b.op("Add", [s1, s2]), s3]), "y");
    b.output(b.op("Cast", [c3], { to: 11 }), "z");
    return b.build();
  }

  it("merges equal constants and equal nodes, not different attributes or dtypes", () => {
    const graph = duplicated();
    const merged = eliminateDeadCode(eliminateCommonSubexpressions(graph));
    expect(ops(merged)).toEqual(["Mul", "Softmax", "Softmax", "Add", "Add", "Cast"]);
    expect([...merged.constants.keys()]).toEqual(["c1", "c3"]);
    expect(merged.nodes[3].inputs).toEqual(["softmax_0", "softmax_0"]);
    expectSameGraphFunction(graph, merged);
  });

  it("keeps a duplicate that is a graph output", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", [2]);
    b.output(b.op("Relu", [x]), "first");
    b.output(b.op("Relu", [x]), "second");
    const graph = b.build();
    const merged = eliminateCommonSubexpressions(graph);
    expect(ops(merged)).toEqual(["Relu", "Relu"]);
    expectSameGraphFunction(graph, merged);
  });
});

describe("foldConstants", () => {
  it("evaluates nodes of constants, never those reading graph inputs", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", ["batch", 2]);
    const scale = b.op("Mul", [b.constant("two", f64([2])), b.constant("three", f64([3]))]);
    const offset = b.op("Constant", [], { value: f64([0.5, -0.5]) });
    b.output(b.op("Add", [b.op("Mul", [x, scale]), offset]), "y");
    const graph = b.build();
    const folded = foldConstants(graph);
    expect(ops(folded)).toEqual(["Mul", "Add"]);
    expect(folded.constants.get(folded.nodes[0].inputs[1])!.toArray()).toEqual([6]);
    expectSameGraphFunction(graph, folded);
  });

  it("folds shape arithmetic on static shapes, so a Reshape gets a constant target", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", ["batch", 6]);
    const template = b.input("t", "float64", [2, 3]);
    const target = b.op("Concat", [b.constant("lead", i64(-1)), b.op("Shape", [template])], { axis: 0 });
    b.output(b.op("Reshape", [x, target]), "y");
    b.output(b.op("Identity", [template]), "t2");
    const graph = b.build();
    const folded = foldConstants(graph);
    expect(ops(folded)).toEqual(["Reshape", "Identity"]);
    expect(folded.constants.get(folded.nodes[0].inputs[1])!.toArray()).toEqual([-1, 2, 3]);
    expectSameGraphFunction(graph, folded);
  });

  it("turns a folded graph output into a Constant node and keeps folding after it", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", [2]);
    const c = b.op("Neg", [b.constant("c", f64([1, 2]))]);
    b.output(c, "negated");
    b.output(b.op("Add", [x, b.op("Exp", [c])]), "y");
    const graph = b.build();
    const folded = foldConstants(graph);
    expect(ops(folded)).toEqual(["Constant", "Add"]);
    expect(folded.nodes[0].outputs).toEqual(["negated"]);
    expectSameGraphFunction(graph, folded);
    expect(ops(foldConstants(folded))).toEqual(["Constant", "Add"]);
  });

  it("leaves results bigger than maxElements as nodes", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float64", [40, 40]);
    const big = b.op("ConstantOfShape", [b.constant("shape", i64(40, 40))], { value: f64([1]) });
    b.output(b.op("Add", [x, big]), "y");
    const graph = b.build();
    expect(ops(foldConstants(graph, { maxElements: 1000 }))).toEqual(["ConstantOfShape", "Add"]);
    expect(ops(foldConstants(graph, { maxElements: 1600 }))).toEqual(["Add"]);
  });

  it("names the node when evaluating a constant node fails", () => {
    const graph: Graph = {
      name: "g",
      opset: 17,
      inputs: [{ name: "x", dtype: "int32", shape: [1] }],
      outputs: [{ name: "y", dtype: "int32", shape: [1] }],
      constants: new Map([["one", tensor([1], { dtype: "int32" })], ["zero", tensor([0], { dtype: "int32" })]]),
      nodes: [
        { op: "Div", inputs: ["one", "zero"], outputs: ["q"], attributes: {}, name: "ratio" },
        { op: "Add", inputs: ["x", "q"], outputs: ["y"], attributes: {} },
      ],
    };
    expect(() => foldConstants(graph)).toThrow(ValueError);
    expect(() => foldConstants(graph)).toThrow('node "ratio" (Div): div: integer division by zero');
  });
});

describe("simplify", () => {
  it("runs the passes to a fixed point, keeping the values", () => {
    const b = new GraphBuilder("mlp");
    const x = b.input("x", "float64", ["batch", 3]);
    const w = b.input("w", "float64", [3, 2]);
    // The bias is built twice from equal constants; folding makes equal constants, merging shares them.
    const bias1 = b.op("Mul", [b.constant("b1", f64([1, -1])), b.constant("half1", f64([0.5]))]);
    const bias2 = b.op("Mul", [b.constant("b2", f64([1, -1])), b.constant("half2", f64([0.5]))]);
    const h1 = b.op("Tanh", [b.op("Add", [b.op("MatMul", [x, w]), bias1])]);
    const h2 = b.op("Tanh", [b.op("Add", [b.op("MatMul", [x, w]), bias2])]);
    b.op("Sigmoid", [h1]);
    b.output(b.op("Sub", [h1, h2]), "zero");
    b.output(h1, "h");
    const graph = b.build();
    const lean = simplify(graph);
    expect(ops(lean)).toEqual(["MatMul", "Add", "Tanh", "Sub"]);
    expect(lean.constants.size).toBe(1);
    expectSameGraphFunction(graph, lean);
    expect(simplify(lean).nodes).toEqual(lean.nodes);
  });
});
