import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "fast-png";
import { Conv2d, Flatten, Linear, ReLU, Sequential, Sigmoid } from "@curv/autodiff";
import type { Generator, Tensor } from "@curv/tensor";
import { runCurvatureTour, type TourConfig } from "./tour.js";

/** The seed's CNN in miniature: 1 x 4 x 4 inputs, 3 classes, 54 parameters. */
const tinyCnn = (generator: Generator) =>
  new Sequential(
    new Conv2d(1, 2, 3, { padding: 1, generator }),
    new ReLU(),
    new Conv2d(2, 1, 3, { padding: 1, stride: 2, generator }),
    new Sigmoid(),
    new Flatten(),
    new Linear(4, 3, { generator }),
  );

const tiny = (outDir: string, extra: Partial<TourConfig> = {}): TourConfig => ({
  outDir, provider: "js", numData: 6, batchSize: 4, inputShape: [1, 4, 4], numClasses: 3, model: tinyCnn, panelSize: 40, ...extra,
});

/** The largest `|m_ij - m_ji|` over the largest `|m_ij|`: float32 round-off, unless a product is wrong. */
function asymmetry(m: Tensor): number {
  const n = m.shape[0];
  let worst = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      worst = Math.max(worst, Math.abs((m.data[i * n + j] as number) - (m.data[j * n + i] as number)));
      largest = Math.max(largest, Math.abs(m.data[i * n + j] as number));
    }
  }
  return worst / largest;
}

describe("runCurvatureTour on a tiny CNN", async () => {
  const outDir = join(mkdtempSync(join(tmpdir(), "curvature-tour-")), "out");
  const lines: string[] = [];
  const result = await runCurvatureTour(tiny(outDir, { log: (line) => lines.push(line) }));
  const titles = ["Hessian", "Generalized Gauss-Newton", "Empirical Fisher", "EKFAC", "Monte-Carlo Fisher", "KFAC"];

  it("prints the parameter counts as the seed does", () => {
    expect(lines.slice(0, 2)).toEqual(["Total parameters: 54", "Layer parameters: [20, 0, 19, 0, 0, 15]"]);
  });

  it("builds the seed's six matrices in its order, each a symmetric P x P matrix, and prints their times", () => {
    expect(result.matrices.map((m) => m.title)).toEqual(titles);
    for (const { matrix } of result.matrices) {
      expect(matrix.shape).toEqual([54, 54]);
      expect(asymmetry(matrix)).toBeLessThan(1e-5);
    }
    expect(lines.slice(2, 8).map((line) => line.replace(/ in [\d.]+ s$/, ""))).toEqual(titles.map((title) => `${title}: 54 x 54`));
  });

  it("gives KFAC and EKFAC no entries between layers (they are block-diagonal by layer)", () => {
    // Layers own parameters [0, 20), [20, 39), [39, 54).
    const layerOf = (i: number) => (i < 20 ? 0 : i < 39 ? 1 : 2);
    for (const { title, matrix } of result.matrices.filter((m) => m.title.endsWith("KFAC"))) {
      let across = 0;
      for (let i = 0; i < 54; i++) for (let j = 0; j < 54; j++) if (layerOf(i) !== layerOf(j)) across = Math.max(across, Math.abs(matrix.data[i * 54 + j] as number));
      expect(across, title).toBe(0);
    }
  });

  it("gives the Gauss-Newton-type matrices a non-negative diagonal (they are positive semi-definite)", () => {
    for (const { title, matrix } of result.matrices.filter((m) => m.title !== "Hessian")) {
      const diagonal = Array.from({ length: 54 }, (_, i) => matrix.data[i * 55] as number);
      expect(Math.min(...diagonal), title).toBeGreaterThanOrEqual(0);
    }
  });

  it("writes both views as PNG and SVG, on a 2 x 3 grid with one colorbar", () => {
    expect(result.files.map((f) => f.slice(outDir.length + 1))).toEqual([
      "curvature-matrices-log-abs.png", "curvature-matrices-log-abs.svg", "curvature-matrices.png", "curvature-matrices.svg",
    ]);
    const png = decode(readFileSync(join(outDir, "curvature-matrices-log-abs.png")));
    expect(png.width).toBeGreaterThan(3 * 40);
    expect(png.height).toBeGreaterThan(2 * 40);
    const svg = readFileSync(join(outDir, "curvature-matrices.svg"), "utf8");
    expect(svg.match(/<image class="matrix"/g)).toHaveLength(6);
    expect(svg.match(/class="layer-boundaries"/g)).toHaveLength(6);
    expect(svg).toContain("Unaltered matrix entries");
    expect(readFileSync(join(outDir, "curvature-matrices-log-abs.svg"), "utf8")).toContain("Logarithmic absolute entries");
  });
});
