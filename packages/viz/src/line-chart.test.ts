import { ValueError } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { lineChartSvg } from "./line-chart.js";
import { svgToRgba } from "./node/png.js";

describe("lineChartSvg", () => {
  const series = [
    { label: "Hutchinson", x: [10, 100, 1000], y: [1, 0.3, 0.1] },
    { label: "XTrace", x: [10, 100, 1000], y: [0.1, 1e-3, 1e-5], dashed: true, markers: true },
  ];

  it("draws one path per series, a legend, labels and power-of-ten ticks on log axes", () => {
    const svg = lineChartSvg(series, { xScale: "log", yScale: "log", title: "error", xLabel: "matvecs", yLabel: "relative error" });
    expect(svg.match(/<path d="M/g)).toHaveLength(2);
    for (const text of ["Hutchinson", "XTrace", "matvecs", "relative error", ">error<", ">1e-5<", ">1000<"]) expect(svg).toContain(text);
    expect(svg).toContain('stroke-dasharray="6,4"');
    expect(svg.match(/<circle/g)).toHaveLength(3);
  });

  it("breaks a line where a point cannot be drawn", () => {
    const svg = lineChartSvg([{ label: "gap", x: [1, 2, 3, 4, 5], y: [1, 2, NaN, 3, 4] }]);
    expect(svg.match(/<path d="M/g)).toHaveLength(2);
  });

  it("leaves out points a log axis cannot show, and renders to pixels", () => {
    const svg = lineChartSvg([{ label: "d", x: [0, 1, 2], y: [0, 1, 4] }], { yScale: "log", fill: true });
    expect(svg.match(/L/g)?.length).toBeGreaterThan(0);
    const image = svgToRgba(svg);
    expect(image.width).toBeGreaterThan(600);
  });

  it("rejects empty input and mismatched series", () => {
    expect(() => lineChartSvg([])).toThrow(ValueError);
    expect(() => lineChartSvg([{ label: "bad", x: [1, 2], y: [1] }])).toThrow(/series "bad" has 2 x values but 1 y values/);
    expect(() => lineChartSvg([{ label: "neg", x: [1], y: [-1] }], { yScale: "log" })).toThrow(/lineChartSvg: no finite/);
  });
});
