import { describe, expect, it } from "vitest";
import { GraphBuilder } from "../../graph/index.js";
import { Generator } from "../../random.js";
import { concat, tensor } from "../../tensor.js";
import { checkLowering } from "./check-lowering.js";

function erfGraph(dtype: "float32" | "float64") {
  const b = new GraphBuilder("erf");
  b.output(b.op("Erf", [b.input("x", dtype, ["n"])]), "y");
  return b.build();
}

describe("Erf lowering (float64, ORT CPU)", () => {
  it("matches the host kernel to 1e-13 across both branches, their borders, and the special values", async () => {
    const special = [0, -0, 1e-300, -1e-300, 1e-8, 0.5, -1, 2.4999999, 2.5, -2.5000001, 3.7, 5.9999, 6, -6.5, 27, 1e300];
    const extremes = [Infinity, -Infinity, NaN];
    const random = new Generator(7).uniform([64], { low: -7, high: 7, dtype: "float64" });
    const x = concat([tensor(special, { dtype: "float64" }), random, tensor(extremes, { dtype: "float64" })]);
    await checkLowering(erfGraph("float64"), { x }, { rtol: 1e-13, atol: 1e-300 });
  });

  it("leaves float32 Erf to ORT's own kernel", async () => {
    const { lowerForOrt } = await import("./lower-for-ort.js");
    const graph = erfGraph("float32");
    expect(lowerForOrt(graph, "cpu")).toBe(graph);
  });
});
