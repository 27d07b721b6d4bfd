import { describe, expect, it } from "vitest";
import { GraphError } from "../../errors.js";
import { evaluateGraph, GraphBuilder } from "../../graph/index.js";
import { Generator } from "../../random.js";
import { assertAllClose } from "../../test/all-close.js";
import { compile } from "../compile-node.js";
import { CONV_CASES } from "../operator-cases.js";
import { checkLowering } from "./check-lowering.js";
import { lowerForOrt } from "./lower-for-ort.js";

describe("Conv lowering (float64, ORT CPU)", () => {
  for (const conv of CONV_CASES) {
    it(`matches the interpreter: ${conv.label}`, async () => {
      const { graph, feeds } = conv.build("float64");
      const lowered = await checkLowering(graph, feeds, { rtol: 1e-12, atol: 1e-13 });
      expect(lowered.nodes.map((n) => n.op)).toContain("MatMul");
    });
  }

  it("serves every batch size with one compiled graph", async () => {
    const b = new GraphBuilder("conv-batch");
    const x = b.input("x", "float64", ["batch", 2, 5, 4]);
    const w = b.input("w", "float64", [3, 2, 3, 2]);
    b.output(b.op("Conv", [x, w], { pads: [1, 0, 1, 1], strides: [1, 2] }), "y");
    const graph = b.build();
    const program = await compile(graph, { providers: ["cpu"] });
    const rng = new Generator(5);
    const weight = rng.normal([3, 2, 3, 2], { dtype: "float64" });
    for (const batch of [3, 5]) {
      const feeds = { x: rng.normal([batch, 2, 5, 4], { dtype: "float64" }), w: weight };
      const { y } = await program.run(feeds);
      expect(y.shape).toEqual([batch, 3, 5, 2]);
      assertAllClose(y, evaluateGraph(graph, feeds).y, { rtol: 1e-12, atol: 1e-13 });
    }
  });

  it("names the node and the value when a spatial extent is symbolic", () => {
    const b = new GraphBuilder("conv-symbolic");
    const x = b.input("x", "float64", [1, 2, "height", 4]);
    b.output(b.op("Conv", [x, b.input("w", "float64", [3, 2, 1, 1])], {}, { name: "stem" }), "y");
    expect(() => lowerForOrt(b.build(), "cpu")).toThrow(GraphError);
    expect(() => lowerForOrt(b.build(), "cpu")).toThrow(
      'node "stem" (Conv): the lowering that ONNX Runtime needs here takes static extents for input "x" (all but the batch axis), got [1, 2, height, 4]',
    );
  });
});
