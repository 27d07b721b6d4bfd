import { describe, expect, it } from "vitest";
import { prepareFigure, type FigureOptions, type Panel } from "./figure.js";
import { fitMatrix, layoutFigure } from "./layout.js";

describe("fitMatrix", () => {
  it.each([
    // rows, cols, panelSize -> width, height, pixels per entry
    [10, 10, 256, 250, 250, 25],
    [128, 128, 256, 256, 256, 2],
    [2, 8, 256, 256, 64, 32], // wide: square entries, not a squashed square
    [683, 683, 256, 256, 256, 0], // larger than the panel: scaled down
    [683, 100, 256, 37, 256, 0],
  ])("fits %d x %d into %d px as %d x %d (%d px per entry)", (rows, cols, size, width, height, upscale) => {
    expect(fitMatrix(rows, cols, size)).toEqual({ width, height, upscale });
  });
});

describe("layoutFigure", () => {
  const square = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(1));
  const layout = (panels: (Panel | null)[], options: FigureOptions = {}) => layoutFigure(prepareFigure(panels, options));

  it("places panels row by row on the grid, skipping empty cells", () => {
    const { panels } = layout([{ matrix: square(4) }, null, { matrix: square(4) }, { matrix: square(4) }], { columns: 2, panelSize: 40 });
    // Cells: A (0, 0), empty (0, 1), C (1, 0), D (1, 1).
    const [a, c, d] = panels.map((p) => p.image);
    expect(c.x).toBe(a.x);
    expect(c.y).toBeGreaterThan(a.y + 40);
    expect(d.y).toBe(c.y);
    expect(d.x).toBeGreaterThan(c.x + 40);
  });

  it("keeps images on whole pixels and inside the figure", () => {
    const fig = layout([{ matrix: square(7), title: "Original (D = 7)" }, { matrix: square(3), title: "x" }], { title: "T", panelSize: 50, ticks: true });
    for (const { image } of fig.panels) {
      for (const v of [image.x, image.y, image.width, image.height]) expect(Number.isInteger(v)).toBe(true);
      expect(image.x + image.width).toBeLessThan(fig.width);
      expect(image.y + image.height).toBeLessThan(fig.height);
    }
    const bar = fig.colorbar!.bar;
    expect(bar.x).toBeGreaterThan(Math.max(...fig.panels.map((p) => p.image.x + p.image.width)));
    expect(fig.colorbar!.label.x).toBeLessThan(fig.width);
  });

  it("makes the colorbar as tall as the matrices span", () => {
    const fig = layout([{ matrix: square(4) }, { matrix: square(4) }], { columns: 1, panelSize: 40 });
    const [top, bottom] = fig.panels.map((p) => p.image);
    expect(fig.colorbar!.bar.y).toBe(top.y);
    expect(fig.colorbar!.bar.y + fig.colorbar!.bar.height).toBe(bottom.y + bottom.height);
  });

  it("widens cells for long titles so they do not overlap", () => {
    const title = "A rather long panel title";
    const fig = layout([{ matrix: square(2), title }, { matrix: square(2), title }], { panelSize: 20 });
    const [a, b] = fig.panels;
    expect(b.titleAt.x - a.titleAt.x).toBeGreaterThan(title.length * 14 * 0.5);
  });

  it("leaves out the colorbar when asked", () => {
    expect(layout([{ matrix: square(2) }], { colorbar: false }).colorbar).toBeUndefined();
  });
});
