import { describe, expect, it } from "vitest";
import { Generator } from "../random.js";
import { tensor, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { GraphBuilder } from "./builder.js";
import { eliminateDeadCode } from "./eliminate-dead-code.js";
import { evaluateGraph } from "./evaluate.js";
import { fuseConvBias } from "./fuse-conv-bias.js";
import type { Graph } from "./ir.js";
import { validateGraph } from "./validate.js";

function fusedChecked(graph: Graph): Graph {
  const fused = eliminateDeadCode(fuseConvBias(graph));
  validateGraph(fused);
  expect(fused.outputs).toEqual(graph.outputs);
  const generator = new Generator(3);
  const feeds: Record<string, Tensor> = Object.fromEntries(
    graph.inputs.map((i) => [i.name, generator.normal(i.shape.map((d) => (typeof d === "number" ? d : 2)), { dtype: "float64" })]),
  );
  const expected = evaluateGraph(graph, feeds);
  const actual = evaluateGraph(fused, feeds);
  for (const { name } of graph.outputs) assertAllClose(actual[name], expected[name], { rtol: 1e-12, atol: 1e-12 }, name);
  return fused;
}

const ops = (graph: Graph) => graph.nodes.map((n) => n.op);
const i64 = (...values: number[]) => tensor(values, { dtype: "int64" });

/** `Add(Conv(x, w), reshape(b, shape))`, the addend first when `biasFirst`, plus `extra` outputs of the conv. */
function convPlusBias(shape: number[], { biasFirst = false, readConvTwice = false, biasExtent = 4 } = {}): Graph {
  const b = new GraphBuilder("g");
  const x = b.input("x", "float64", ["batch", 3, 5, 5]);
  const w = b.input("w", "float64", [4, 3, 3, 3]);
  const bias = b.input("b", "float64", [biasExtent]);
  const conv = b.op("Conv", [x, w], { pads: [1, 1, 1, 1] });
  const laidOut = b.op("Reshape", [bias, b.constant("shape", i64(...shape))]);
  b.output(b.op("Add", biasFirst ? [laidOut, conv] : [conv, laidOut]), "y");
  if (readConvTwice) b.output(b.op("Neg", [conv]), "z");
  return b.build();
}

describe("fuseConvBias", () => {
  it.each([
    ["[C, 1, 1]", [4, 1, 1], false],
    ["[1, C, 1, 1], bias first", [1, 4, 1, 1], true],
  ])("moves a bias laid out as %s into Conv's B", (_, shape, biasFirst) => {
    const fused = fusedChecked(convPlusBias(shape, { biasFirst }));
    expect(ops(fused)).toEqual(["Conv"]);
    expect(fused.nodes[0].inputs).toEqual(["x", "w", "b"]);
    expect(fused.nodes[0].attributes).toEqual({ pads: [1, 1, 1, 1] });
  });

  it("leaves a Conv read elsewhere, and addends that are not one bias per channel", () => {
    expect(ops(fusedChecked(convPlusBias([4, 1, 1], { readConvTwice: true })))).toEqual(["Conv", "Reshape", "Add", "Neg"]);
    expect(ops(fusedChecked(convPlusBias([1, 1, 5], { biasExtent: 5 })))).toEqual(["Conv", "Reshape", "Add"]);
  });
});
