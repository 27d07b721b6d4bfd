import { describe, expect, it } from "vitest";
import { Generator } from "../random.js";
import { tensor, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { GraphBuilder } from "./builder.js";
import { eliminateDeadCode } from "./eliminate-dead-code.js";
import { evaluateGraph } from "./evaluate.js";
import { fuseTransposeMatMul } from "./fuse-transpose-matmul.js";
import type { Graph, ValueInfo } from "./ir.js";
import { simplify } from "./simplify.js";
import { validateGraph } from "./validate.js";

const SWAP = { perm: [1, 0] };
const SWAP_LAST = { perm: [0, 2, 1] };

/** Random normal feeds for every input, symbolic extents set to 5. */
function randomFeeds(graph: Graph, seed: number): Record<string, Tensor> {
  const generator = new Generator(seed);
  return Object.fromEntries(
    graph.inputs.map((input) => [input.name, generator.normal(input.shape.map((d) => (typeof d === "number" ? d : 5)), { dtype: "float64" })]),
  );
}

/** The pass (and dead-code elimination) applied to `graph`, checked to compute the same outputs on random feeds. */
function fusedChecked(graph: Graph): Graph {
  const fused = eliminateDeadCode(fuseTransposeMatMul(graph));
  validateGraph(fused);
  expect(fused.inputs).toEqual(graph.inputs);
  expect(fused.outputs).toEqual(graph.outputs);
  for (const seed of [1, 2]) {
    const feeds = randomFeeds(graph, seed);
    const expected = evaluateGraph(graph, feeds);
    const actual = evaluateGraph(fused, feeds);
    for (const { name } of graph.outputs) assertAllClose(actual[name], expected[name], { rtol: 1e-12, atol: 1e-12 }, name);
  }
  return fused;
}

const ops = (graph: Graph) => graph.nodes.map((n) => n.op);

/** A graph of float64 inputs `[name, shape]` and the outputs `body` returns. */
function graphOf(inputs: [string, (number | string)[]][], body: (b: GraphBuilder, values: ValueInfo[]) => ValueInfo[]): Graph {
  const b = new GraphBuilder("g");
  const values = inputs.map(([name, shape]) => b.input(name, "float64", shape));
  body(b, values).forEach((value, k) => b.output(value, `out${k}`));
  return b.build();
}

describe("fuseTransposeMatMul", () => {
  it("turns a linear layer x W^T + b into one Gemm with transB and C", () => {
    const graph = graphOf([["x", ["batch", 4]], ["w", [3, 4]], ["b", [3]]], (b, [x, w, bias]) => [
      b.op("Add", [b.op("MatMul", [x, b.op("Transpose", [w], SWAP)]), bias]),
    ]);
    const fused = fusedChecked(graph);
    expect(ops(fused)).toEqual(["Gemm"]);
    expect(fused.nodes[0].inputs).toEqual(["x", "w", "b"]);
    expect(fused.nodes[0].attributes).toEqual({ transA: 0, transB: 1 });
  });

  it("computes a transposed weight gradient (x^T g)^T as g^T x, a Gemm with transA", () => {
    const graph = graphOf([["x", ["batch", 4]], ["g", ["batch", 3]]], (b, [x, g]) => [
      b.op("Transpose", [b.op("MatMul", [b.op("Transpose", [x], SWAP), g])], SWAP),
    ]);
    const fused = fusedChecked(graph);
    expect(ops(fused)).toEqual(["Gemm"]);
    expect(fused.nodes[0].inputs).toEqual(["g", "x"]);
    expect(fused.nodes[0].attributes).toEqual({ transA: 1, transB: 0 });
  });

  it("pushes a Transpose through a sum of products (an HVP's weight block)", () => {
    const graph = graphOf([["x", ["batch", 4]], ["g", ["batch", 3]], ["u", ["batch", 4]], ["h", ["batch", 3]]], (b, [x, g, u, h]) => {
      const xg = b.op("MatMul", [b.op("Transpose", [x], SWAP), g]);
      const uh = b.op("MatMul", [b.op("Transpose", [u], SWAP), h]);
      return [b.op("Transpose", [b.op("Sub", [xg, uh])], SWAP)];
    });
    expect(ops(fusedChecked(graph))).toEqual(["Gemm", "Gemm", "Sub"]);
  });

  it("swaps the last two axes of batched products, leaving a MatMul that reads a Transpose", () => {
    const graph = graphOf([["a", ["batch", 4, 2]], ["c", ["batch", 4, 3]]], (b, [a, c]) => [
      b.op("Transpose", [b.op("MatMul", [b.op("Transpose", [a], SWAP_LAST), c])], SWAP_LAST),
    ]);
    const fused = fusedChecked(graph);
    expect(ops(fused)).toEqual(["Transpose", "MatMul"]);
    expect(fused.nodes[0].inputs).toEqual(["c"]);
  });

  it("composes consecutive Transposes, and drops a pair that cancels", () => {
    const graph = graphOf([["x", [2, 3, 4]]], (b, [x]) => {
      const once = b.op("Transpose", [x], { perm: [1, 2, 0] });
      return [b.op("Transpose", [once], { perm: [2, 0, 1] }), b.op("Transpose", [once], { perm: [0, 2, 1] })];
    });
    const fused = fusedChecked(graph);
    expect(ops(fused)).toEqual(["Identity", "Transpose"]);
    expect(fused.nodes[1].attributes).toEqual({ perm: [1, 0, 2] });
  });

  it("leaves products that are read twice, have no transposed operand, or are graph outputs", () => {
    const graph = graphOf([["x", [4, 3]], ["g", [4, 2]]], (b, [x, g]) => {
      const shared = b.op("MatMul", [b.op("Transpose", [x], SWAP), g]);
      const plain = b.op("MatMul", [g, b.op("Reshape", [x, b.constant("s", tensor([2, 6], { dtype: "int64" }))])]);
      return [shared, b.op("Transpose", [shared], SWAP), b.op("Transpose", [plain], SWAP)];
    });
    const fused = fusedChecked(graph);
    expect(ops(fused)).toEqual(["Gemm", "Reshape", "MatMul", "Transpose", "Transpose"]);
  });

  it("keeps an Add whose addend does not fit Gemm's C, and a Gemm whose product is read elsewhere", () => {
    const graph = graphOf([["x", [5, 4]], ["w", [3, 4]], ["big", [2, 5, 3]], ["b", [3]]], (b, [x, w, big, bias]) => {
      const wide = b.op("MatMul", [x, b.op("Transpose", [w], SWAP)]);
      const shared = b.op("MatMul", [x, b.op("Transpose", [w], SWAP)]);
      return [b.op("Add", [wide, big]), b.op("Add", [shared, bias]), b.op("Neg", [shared])];
    });
    expect(ops(fusedChecked(graph))).toEqual(["Gemm", "Gemm", "Add", "Add", "Neg"]);
  });

  it("runs inside simplify, which keeps the graph's function", () => {
    const graph = graphOf([["x", ["batch", 4]], ["g", ["batch", 3]], ["w", [3, 4]]], (b, [x, g, w]) => [
      b.op("Transpose", [b.op("MatMul", [b.op("Transpose", [x], SWAP), g])], SWAP),
      b.op("MatMul", [g, w]),
      b.op("MatMul", [x, b.op("Transpose", [w], SWAP)]),
    ]);
    expect(ops(simplify(graph))).toEqual(["Gemm", "MatMul", "Gemm"]);
  });
});
