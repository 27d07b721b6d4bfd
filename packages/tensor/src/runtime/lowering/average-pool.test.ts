import { describe, expect, it } from "vitest";
import { AVERAGE_POOL_CASES } from "../operator-cases.js";
import { windowCounts } from "./average-pool.js";
import { checkLowering } from "./check-lowering.js";

describe("AveragePool lowering (float64, ORT CPU)", () => {
  for (const pool of AVERAGE_POOL_CASES) {
    it(`matches the interpreter: ${pool.label}`, async () => {
      const { graph, feeds } = pool.build("float64");
      await checkLowering(graph, feeds, { rtol: 1e-12, atol: 1e-13 });
    });
  }

  it("counts the elements each window averages", () => {
    // One axis of extent 4, kernel 3, stride 2, pads 1 and 2, ceil mode: windows start at -1, 1, 3.
    const geometry = { kernel: [3], strides: [2], dilations: [1], padsBegin: [1], padsEnd: [2], output: [3] };
    expect(windowCounts([4], geometry, false)).toEqual([2, 3, 1]);
    expect(windowCounts([4], geometry, true)).toEqual([3, 3, 3]);
    // A window reaching past the end padding counts only up to it.
    expect(windowCounts([4], { ...geometry, padsEnd: [1] }, true)).toEqual([3, 3, 2]);
  });
});
