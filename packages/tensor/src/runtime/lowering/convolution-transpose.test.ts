import { describe, it } from "vitest";
import { evaluateGraph } from "../../graph/index.js";
import type { Tensor } from "../../tensor.js";
import { assertAllClose } from "../../test/all-close.js";
import { compile } from "../compile-node.js";
import { CONV_TRANSPOSE_CASES } from "../operator-cases.js";
import { checkLowering } from "./check-lowering.js";
import { lowerForOrt } from "./lower-for-ort.js";

describe("ConvTranspose lowering (float64, ORT CPU)", () => {
  for (const convTranspose of CONV_TRANSPOSE_CASES) {
    it(`matches the interpreter: ${convTranspose.label}`, async () => {
      const { graph, feeds } = convTranspose.build("float64");
      await checkLowering(graph, feeds, { rtol: 1e-12, atol: 1e-13 });
    });

    // A second, independent reference: onnxruntime's own float32 kernel, on the same numbers.
    it(`matches onnxruntime's float32 ConvTranspose kernel: ${convTranspose.label}`, async () => {
      const single = convTranspose.build("float32");
      const program = await compile(single.graph, { providers: ["cpu"] });
      const expected = (await program.run(single.feeds)).out0;
      const widened: Record<string, Tensor> = {};
      for (const [name, value] of Object.entries(single.feeds)) widened[name] = value.astype("float64");
      const lowered = lowerForOrt(convTranspose.build("float64").graph, "cpu");
      assertAllClose(evaluateGraph(lowered, widened).out0, expected, { rtol: 1e-5, atol: 1e-5 });
    });
  }
});
