import { describe, it } from "vitest";
import { OPERATOR_CASES } from "../operator-cases.js";
import { checkLowering } from "./check-lowering.js";

describe("OneHot lowering (float64 values, ORT CPU)", () => {
  for (const oneHot of OPERATOR_CASES.OneHot) {
    it(`matches the interpreter exactly: ${oneHot.label}`, async () => {
      const { graph, feeds } = oneHot.build("float64");
      await checkLowering(graph, feeds, { rtol: 0, atol: 0 });
    });
  }
});
