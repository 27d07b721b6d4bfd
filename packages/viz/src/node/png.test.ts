import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { decode } from "fast-png";
import { colorOf } from "../color-scale.js";
import { prepareFigure, type FigureOptions } from "../figure.js";
import { layoutFigure } from "../layout.js";
import { defaultFontFile } from "./font.js";
import { gridPng, heatmapPng } from "./png.js";

type Decoded = ReturnType<typeof decode>;
const rgbaAt = (png: Decoded, x: number, y: number) => {
  const p = (y * png.width + x) * png.channels;
  return Array.from(png.data.subarray(p, p + 4));
};
/** Pixels in a box that are darker than mid-grey: text, ticks, frames. */
function darkPixels(png: Decoded, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (rgbaAt(png, x, y).slice(0, 3).every((c) => c < 128)) n++;
  return n;
}

describe("heatmapPng", () => {
  // Reference colours: matplotlib's viridis with Normalize(0, 3).
  const matrix = [[0, 1], [2, NaN]];
  const options: FigureOptions = { panelSize: 20, vmin: 0, vmax: 3 };
  const png = decode(heatmapPng(matrix, options));
  const { panels, colorbar } = layoutFigure(prepareFigure([{ matrix }], options));
  const { image } = panels[0];

  it("is an RGBA PNG of the laid-out size", () => {
    expect(png.channels).toBe(4);
    expect(image.width).toBe(20); // 10 px per entry
  });

  it.each([
    ["[0, 0] = 0", 0, 0, [68, 1, 84, 255]], // #440154
    ["[0, 1] = 1", 1, 0, [49, 104, 142, 255]], // #31688e
    ["[1, 0] = 2", 0, 1, [53, 183, 121, 255]], // #35b779
    ["[1, 1] = NaN shows the white background", 1, 1, [255, 255, 255, 255]],
  ])("colours entry %s as matplotlib does, over its whole cell", (_, j, i, rgba) => {
    for (const [dx, dy] of [[0, 0], [5, 5], [9, 9]]) {
      expect(rgbaAt(png, image.x + 10 * j + dx, image.y + 10 * i + dy)).toEqual(rgba);
    }
  });

  it("frames the matrix with a black line just outside it", () => {
    expect(rgbaAt(png, image.x - 1, image.y + 5)).toEqual([0, 0, 0, 255]);
    expect(rgbaAt(png, image.x + 5, image.y + image.height)).toEqual([0, 0, 0, 255]);
  });

  it("draws the colorbar from vmax at the top to vmin at the bottom, each row in the colour of its centre", () => {
    const bar = colorbar!.bar;
    const middle = bar.x + Math.floor(bar.width / 2);
    const scale = prepareFigure([{ matrix }], options).scale;
    for (const row of [0, 7, bar.height - 1]) {
      const centre = 3 * (1 - (row + 0.5) / bar.height);
      expect(rgbaAt(png, middle, bar.y + row)).toEqual(colorOf(scale, centre));
    }
    // The ends are near viridis' yellow and purple.
    expect(rgbaAt(png, middle, bar.y)[0]).toBeGreaterThan(200);
    expect(rgbaAt(png, middle, bar.y + bar.height - 1)[1]).toBeLessThan(30);
  });
});

describe("text in PNGs", () => {
  // resvg runs with system fonts off, so text shows only through the bundled font.
  it("renders titles with the bundled font", () => {
    const options = { panelSize: 40, colorbar: false };
    const titled = decode(heatmapPng([[1]], { ...options, title: "Title" }));
    const blank = decode(heatmapPng([[1]], { ...options, title: " " })); // same layout, no glyphs
    const { image } = layoutFigure(prepareFigure([{ matrix: [[1]], title: "Title" }], options)).panels[0];
    const band = [0, image.y - 20, titled.width, image.y - 2] as const;
    expect(darkPixels(titled, ...band)).toBeGreaterThan(30);
    expect(darkPixels(blank, ...band)).toBe(0);
  });

  it("renders colorbar tick labels and the colorbar label", () => {
    const options = { panelSize: 40, vmin: 0, vmax: 1 };
    const labelled = decode(gridPng([{ matrix: [[1]] }], { ...options, colorbarLabel: "curvature" }));
    const { colorbar } = layoutFigure(prepareFigure([{ matrix: [[1]] }], options));
    const bar = colorbar!.bar;
    const right = bar.x + bar.width + 2;
    expect(darkPixels(labelled, right, bar.y - 6, labelled.width, bar.y + bar.height + 6)).toBeGreaterThan(60);
    const unlabelled = decode(gridPng([{ matrix: [[1]] }], options));
    const labelBox = [colorbar!.label.x - 12, bar.y, labelled.width, bar.y + bar.height] as const;
    expect(darkPixels(labelled, ...labelBox)).toBeGreaterThan(20);
    expect(darkPixels(unlabelled, ...labelBox.map((v, k) => (k === 2 ? unlabelled.width : v)) as [number, number, number, number])).toBe(0);
  });

  it("ships DejaVu Sans as a TrueType file", () => {
    const head = readFileSync(defaultFontFile()).subarray(0, 4);
    expect(Array.from(head)).toEqual([0, 1, 0, 0]); // sfnt version 1.0: TrueType outlines
  });
});
