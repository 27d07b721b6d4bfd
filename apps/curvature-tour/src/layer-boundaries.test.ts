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

  it("leaves the picture as it is without boundaries", () => {
    expect(withLayerBoundaries(svg, [], 4).replace(/\n<g class="layer-boundaries"[^>]*><\/g>/g, "")).toBe(svg);
  });
});
