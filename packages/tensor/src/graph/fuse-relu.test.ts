import { describe, expect, it } from "vitest";
import { tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { GraphBuilder } from "./builder.js";
import { eliminateDeadCode } from "./eliminate-dead-code.js";
import { evaluateGraph } from "./evaluate.js";
import { fuseRelu } from "./fuse-relu.js";
import type { Graph } from "./ir.js";
import { validateGraph } from "./validate.js";

const f64 = (values: number[], shape?: number[]) => tensor(values, { dtype: "float64", shape });
const ops = (graph: Graph) => graph.nodes.map((n) => n.op);

/** `Where(Greater(x, threshold), x, otherwise)` and the mask, as a ReLU and its derivative's mask are traced. */
function selection(threshold: number, otherwise: number, shape: (number | string)[] = [2, 3]): Graph {
  const b = new GraphBuilder("g");
  const x = b.input("x", "float64", shape);
  const mask = b.op("Greater", [x, b.constant("t", f64([threshold], []))]);
  b.output(b.op("Where", [mask, x, b.constant("o", f64([otherwise], []))]), "y");
  b.output(mask, "mask");
  return b.build();
}

describe("fuseRelu", () => {
  it("computes Where(Greater(x, 0), x, 0) as Relu(x), keeping the mask, with the same values", () => {
    const graph = selection(0, 0);
    const fused = eliminateDeadCode(fuseRelu(graph));
    validateGraph(fused);
    expect(ops(fused)).toEqual(["Greater", "Relu"]);
    const x = f64([-2, -0, 0, 1e-300, 3, -1e-300], [2, 3]);
    const expected = evaluateGraph(graph, { x });
    const actual = evaluateGraph(fused, { x });
    assertAllClose(actual.y, expected.y, { rtol: 0, atol: 0 }, "y");
    expect(Object.is(actual.y.data[1], 0)).toBe(true); // -0 gives +0, as the selection does
  });

  it("leaves other thresholds and other fill values", () => {
    expect(ops(fuseRelu(selection(1, 0)))).toEqual(["Greater", "Where"]);
    expect(ops(fuseRelu(selection(0, 1)))).toEqual(["Greater", "Where"]);
  });
});
