import { describe, it } from "vitest";
import { OPERATOR_CASES } from "../operator-cases.js";
import { checkLowering } from "./check-lowering.js";

describe("GlobalAveragePool lowering (float64, ORT CPU)", () => {
  it("matches the interpreter", async () => {
    const { graph, feeds } = OPERATOR_CASES.GlobalAveragePool[0].build("float64");
    await checkLowering(graph, feeds, { rtol: 1e-13, atol: 1e-15 });
  });
});
