import { describe, expect, it } from "vitest";
import { DTypeError, GraphError, ShapeError } from "../errors.js";
import { ones, tensor } from "../tensor.js";
import { GraphBuilder } from "./builder.js";
import { UNKNOWN_DIM } from "./symbolic-dim.js";

describe("GraphBuilder", () => {
  it("types every value as it is added", () => {
    const b = new GraphBuilder("linear");
    const x = b.input("x", "float32", ["batch", 7]);
    const w = b.constant("w", ones([7, 3]));
    const y = b.op("MatMul", [x, w]);
    expect(y).toEqual({ name: "matmul_0", dtype: "float32", shape: ["batch", 3] });
    const z = b.op("Relu", [y]);
    b.output(z, "z");
    const graph = b.build();
    expect(graph.name).toBe("linear");
    expect(graph.opset).toBe(17);
    expect(graph.inputs).toEqual([{ name: "x", dtype: "float32", shape: ["batch", 7] }]);
    expect(graph.outputs).toEqual([{ name: "z", dtype: "float32", shape: ["batch", 3] }]);
    expect([...graph.constants.keys()]).toEqual(["w"]);
    expect(graph.nodes.map((n) => [n.op, n.inputs, n.outputs])).toEqual([
      ["MatMul", ["x", "w"], ["matmul_0"]],
      ["Relu", ["matmul_0"], ["z"]],
    ]);
  });

  it("returns several handles when asked for several outputs", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", [1, 4]);
    const pair = b.op("Dropout", [x], {}, { outputs: 2 });
    expect(pair.map((v) => [v.name, v.dtype])).toEqual([["dropout_0_0", "float32"], ["dropout_0_1", "bool"]]);
    const single = b.op("Dropout", [x], {}, { outputs: 1 });
    expect(single).toHaveLength(1);
  });

  it("leaves out optional inputs given as undefined", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", [3]);
    const hi = b.constant("hi", tensor(1));
    b.op("Clip", [x, undefined, hi]);
    expect(b.build().nodes[0].inputs).toEqual(["x", "", "hi"]);
  });

  it("gives fresh names that avoid the user's names", () => {
    const b = new GraphBuilder("g");
    const x = b.input("relu_0", "float32", [2]);
    const y = b.op("Relu", [x]);
    const z = b.op("Relu", [y]);
    expect([y.name, z.name]).toEqual(["relu_0_2", "relu_1"]);
  });

  it("uses constants to type shape inputs", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", ["batch", 3, 4]);
    const shape = b.constant("shape", tensor([0, -1], { dtype: "int64" }));
    expect(b.op("Reshape", [x, shape]).shape).toEqual(["batch", 12]);
  });

  it("computes small shape values while typing, so a Reshape fed by Shape of a static value is exact", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", ["batch", 12]);
    const template = b.input("t", "float32", [3, 4]);
    const target = b.op("Concat", [b.constant("lead", tensor([-1], { dtype: "int64" })), b.op("Shape", [template])], { axis: 0 });
    expect(b.op("Reshape", [x, target]).shape).toEqual(["batch", 3, 4]);
    const unknown = b.op("Reshape", [x, b.op("Shape", [x])]);
    expect(unknown.shape).toEqual([UNKNOWN_DIM, UNKNOWN_DIM]);
  });

  it("renames a node output to the output name, and uses Identity where it cannot", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", [2]);
    const y = b.op("Neg", [x]);
    b.output(y, "first");
    b.output(y, "second");
    b.output(x, "echo");
    const graph = b.build();
    expect(graph.outputs.map((o) => o.name)).toEqual(["first", "second", "echo"]);
    expect(graph.nodes.map((n) => [n.op, n.inputs, n.outputs])).toEqual([
      ["Neg", ["x"], ["first"]],
      ["Identity", ["first"], ["second"]],
      ["Identity", ["x"], ["echo"]],
    ]);
  });

  it("reports a type error at the op call, naming the node and op", () => {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", ["batch", 7]);
    const w = b.input("w", "float32", [5, 3]);
    expect(() => b.op("MatMul", [x, w])).toThrow(ShapeError);
    expect(() => b.op("MatMul", [x, w])).toThrow('node "MatMul_');
    const d = b.input("d", "float64", [7]);
    expect(() => b.op("Add", [x, d], {}, { name: "add" })).toThrow(DTypeError);
    expect(() => b.op("Add", [x, d], {}, { name: "add" })).toThrow('node "add" (Add): input 1 ("B") is float64');
    expect(() => b.op("Softmax", [x], { axis: 5 })).toThrow('(Softmax): attribute "axis"');
    expect(() => b.op("Gelu", [x])).toThrow('(Gelu): unknown operator "Gelu"');
  });

  it.each<[string, (b: GraphBuilder) => unknown, string]>([
    ["a duplicate input", (b) => b.input("x", "float32", [1]), 'value name "x" is already defined'],
    ["a constant named like an input", (b) => b.constant("x", ones([1])), 'constant "x": value name "x" is already defined'],
    ["a bad extent", (b) => b.input("y", "float32", [-1]), "must hold non-negative integers or symbol names"],
    ["an unknown dtype", (b) => b.input("y", "float16" as never, [1]), 'unknown dtype "float16"'],
    ["a constant that is no Tensor", (b) => b.constant("c", [1, 2] as never), 'constant "c": expected a Tensor'],
    ["a foreign handle", (b) => b.op("Relu", [{ name: "nope", dtype: "float32", shape: [1] }]), '"nope" is not a value of graph "g"'],
    ["an output name taken", (b) => b.output(b.op("Relu", [{ name: "x", dtype: "float32", shape: [2] }]), "x"), 'value name "x" is already defined'],
  ])("rejects %s", (_what, build, message) => {
    const b = new GraphBuilder("g");
    b.input("x", "float32", [2]);
    expect(() => build(b)).toThrow(GraphError);
    expect(() => build(b)).toThrow(message);
  });

  it("rejects opsets whose semantics the registry does not implement", () => {
    expect(() => new GraphBuilder("g", { opset: 18 })).toThrow('graph "g": opset 18 is not supported');
  });
});
