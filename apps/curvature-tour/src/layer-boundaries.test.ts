import { describe, expect, it } from "vitest";
import { gridSvg } from "@curv/viz";
import { layerBoundaries, withLayerBoundaries } from "./layer-boundaries.js";

describe("layerBoundaries", () => {
  it("gives the cumulative counts between layers, skipping layers without parameters", () => {
    expect(layerBoundaries([112, 0, 404, 0, 37, 0, 130])).toEqual([112, 516, 553]);
    expect(layerBoundaries([0, 10, 0])).toEqual([]);
  });
});

describe("withLayerBoundaries", () => {
  const matrix = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];
  const svg = gridSvg([{ matrix }, { matrix }], { columns: 2, panelSize: 40 });
  const drawn = withLayerBoundaries(svg, [1, 3], 4);

  it("adds one horizontal and one vertical white line per boundary to every panel", () => {
    expect(drawn.match(/<g class="layer-boundaries" stroke="white"/g)).toHaveLength(2);
    const groups = drawn.match(/<g class="layer-boundaries"[^>]*>(.*?)<\/g>/g)!;
    expect(groups.map((group) => group.match(/<line /g)!.length)).toEqual([4, 4]);
  });

  it("places a boundary after parameter k of P at k / P of the matrix image", () => {
    const [, x, y, width, height] = /<image class="matrix" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number);
    expect(drawn).toContain(`<line x1="${x}" y1="${y + height / 4}" x2="${x + width}" y2="${y + height / 4}"/>`);
    expect(drawn).toContain(`<line x1="${x + (3 * width) / 4}" y1="${y}" x2="${x + (3 * width) / 4}" y2="${y + height}"/>`);
  });

  it("numbers the layers from 1 at the middle of their rows (left) and columns (below)", () => {
    const [, x, y, width, height] = /<image class="matrix" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number);
    const numbers = /<g class="layer-numbers"[^>]*>(.*?)<\/g>/.exec(drawn)![1];
    const labels = [...numbers.matchAll(/<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">(\d)<\/text>/g)];
    expect(labels.map((m) => m[4])).toEqual(["1", "1", "2", "2", "3", "3"]);
    // Layer 2 holds parameters 1 and 2 of 4: its middle is at half the width and height.
    const [below, left] = labels.filter((m) => m[4] === "2");
    expect([Number(below[1]), Number(below[2]) > y + height, below[3]]).toEqual([x + width / 2, true, "middle"]);
    expect([Number(left[1]) < x, Math.abs(Number(left[2]) - (y + height / 2)) < 5, left[3]]).toEqual([true, true, "end"]);
  });

  it("draws one layer number and no line for a matrix of one layer", () => {
    const single = withLayerBoundaries(svg, [], 4);
    expect(single.match(/<g class="layer-boundaries"[^>]*>(.*?)<\/g>/g)).toEqual(Array(2).fill('<g class="layer-boundaries" stroke="white" stroke-width="0.5"></g>'));
    expect(single.match(/>1<\/text>/g)).toHaveLength(2 * 2);
  });
});
