import { describe, expect, it } from "vitest";
import { ShapeError, tensor, ValueError } from "@curv/tensor";
import { decode } from "fast-png";
import { gridSvg, heatmapSvg } from "./svg.js";
import { logAbs } from "./transform.js";

const count = (svg: string, needle: string) => svg.split(needle).length - 1;
const square = (n: number, value = 1) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => value * (i + j)));

/** The PNG bytes of each embedded image, in document order. */
function embeddedPngs(svg: string) {
  return [...svg.matchAll(/xlink:href="data:image\/png;base64,([^"]+)"/g)].map((m) => decode(Buffer.from(m[1], "base64")));
}

describe("heatmapSvg", () => {
  const svg = heatmapSvg([[1, 2], [3, 4]], { title: "Hessian <H> & co", colorbarLabel: "value" });

  it("is one SVG document with a size", () => {
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toMatch(/width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  });

  it("escapes the title", () => {
    expect(svg).toContain(">Hessian &lt;H&gt; &amp; co</text>");
  });

  it("has one panel, a colorbar with ticks and its label, and no index ticks", () => {
    expect(count(svg, `<g class="panel"`)).toBe(1);
    expect(count(svg, `<g class="colorbar">`)).toBe(1);
    expect(svg).toMatch(/class="colorbar-label"[^>]*transform="rotate\(-90[^>]*>value<\/text>/);
    expect(count(svg, `class="tick-label"`)).toBeGreaterThanOrEqual(3); // colorbar only
    expect(svg).not.toMatch(/data-row="0" data-column="0">[\s\S]*<g class="ticks"[\s\S]*<g class="colorbar">/);
  });

  it("embeds the matrix as a PNG with whole pixels per entry, pixelated for zooming", () => {
    const [matrix, gradient] = embeddedPngs(svg);
    expect([matrix.width, matrix.height]).toEqual([256, 256]); // 2 x 2 at 128 px per entry
    expect(svg).toMatch(/class="matrix"[^>]*style="image-rendering:pixelated"/);
    expect(gradient.height).toBe(256);
  });

  it("embeds a large matrix at one pixel per entry, smoothed when scaled down", () => {
    const big = heatmapSvg(square(300));
    const [matrix] = embeddedPngs(big);
    expect([matrix.width, matrix.height]).toEqual([300, 300]);
    expect(big).toMatch(/class="matrix" x="\d+" y="\d+" width="256" height="256" preserveAspectRatio="none" xlink/);
  });

  it("shows index ticks when asked", () => {
    const ticked = heatmapSvg(square(10), { ticks: true });
    // 0, 2, 4, 6, 8 on each axis plus the colorbar's.
    expect(count(ticked.split(`<g class="colorbar">`)[0], `class="tick-label"`)).toBe(10);
  });

  it("defaults the colorbar label to the transform's", () => {
    expect(heatmapSvg([[1e-3, 1]], { transform: logAbs() })).toContain(">log10(max(|value|, 1e-10))</text>");
  });

  it("leaves the colorbar out when asked", () => {
    expect(heatmapSvg([[1]], { colorbar: false })).not.toContain("colorbar");
  });

  it.each([
    ["a 1-D tensor", tensor([1, 2]), {}, ShapeError, /panels\[0\]\.matrix: expected a 2-D tensor/],
    ["an empty matrix", [], {}, ShapeError, /at least one row/],
    ["crossed limits", [[1]], { vmin: 1, vmax: 0 }, ValueError, /vmin \(1\) must not exceed vmax \(0\)/],
    ["a bad panel size", [[1]], { panelSize: 2.5 }, ValueError, /panelSize/],
    ["a bad background", [[1]], { background: "sky" }, ValueError, /background/],
  ])("rejects %s", (_, matrix, options, ErrorClass, message) => {
    expect(() => heatmapSvg(matrix as number[][], options)).toThrow(ErrorClass);
    expect(() => heatmapSvg(matrix as number[][], options)).toThrow(message);
  });
});

describe("gridSvg", () => {
  const panels = [square(3), square(4), null, square(5), null, square(2), square(6)].map((m, i) =>
    m === null ? null : { matrix: m, title: `Panel ${i}` },
  );
  const svg = gridSvg(panels, { columns: 3, title: "Frame" });

  it("draws one panel per non-empty cell at its row and column", () => {
    expect(count(svg, `<g class="panel"`)).toBe(5);
    const cells = [...svg.matchAll(/data-row="(\d)" data-column="(\d)"/g)].map((m) => `${m[1]},${m[2]}`);
    expect(cells).toEqual(["0,0", "0,1", "1,0", "1,2", "2,0"]);
    for (const i of [0, 1, 3, 5, 6]) expect(svg).toContain(`>Panel ${i}</text>`);
  });

  it("has one colorbar and the figure title", () => {
    expect(count(svg, `<g class="colorbar">`)).toBe(1);
    expect(svg).toMatch(/class="figure-title"[^>]*>Frame<\/text>/);
  });

  it("shares one colour scale: equal values get equal colours across panels", () => {
    // Panel 1 holds 2 (top-left is 0 everywhere); with shared limits [0, 10] the same value has the same pixel.
    const pngs = embeddedPngs(gridSvg([{ matrix: [[0, 2]] }, { matrix: [[2, 10]] }]));
    const pixel = (png: ReturnType<typeof decode>, x: number) => Array.from(png.data.subarray(4 * x, 4 * x + 4));
    expect(pixel(pngs[0], pngs[0].width - 1)).toEqual(pixel(pngs[1], 0));
  });

  it.each([
    ["no panels", [], {}, /at least one panel/],
    ["only empty cells", [null, null], {}, /all 2 cells are empty/],
    ["zero columns", [{ matrix: [[1]] }], { columns: 0 }, /columns: expected a positive integer, got 0/],
    ["a panel without a matrix", [{ title: "x" }], {}, /panels\[0\]: expected \{ matrix, title\? \}/],
  ])("rejects %s", (_, input, options, message) => {
    expect(() => gridSvg(input as never, options)).toThrow(ValueError);
    expect(() => gridSvg(input as never, options)).toThrow(message);
  });
});
