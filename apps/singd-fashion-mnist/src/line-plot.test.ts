import { describe, expect, it } from "vitest";
import { linePlotSvg, niceTicks } from "./line-plot.js";

describe("line plots", () => {
  it("picks round ticks covering the range", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.37, 2.31)).toEqual([0.5, 1, 1.5, 2]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it("draws one polyline and one legend entry per series, escaping names, skipping non-finite points", () => {
    const svg = linePlotSvg({
      title: "loss", xLabel: "epoch", yLabel: "value",
      series: [{ name: "a<b", x: [0, 1, 2], y: [3, NaN, 1] }, { name: "SINGD-hierarchical15_15", x: [0, 2], y: [2, 2] }],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain("a&lt;b");
    expect(svg).not.toContain("NaN");
    expect(Number(/width="(\d+)"/.exec(svg)?.[1])).toBe(600 + 60 + 8 * "SINGD-hierarchical15_15".length);
  });
});
