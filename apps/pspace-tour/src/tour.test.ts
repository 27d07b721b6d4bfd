// The tour on a tiny CNN into a temporary folder: every representation drawn,
// the table's numbers consistent with the representations' definitions, the
// PNG a real image, and EWC's penalties keeping task A's loss lower.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "fast-png";
import { Conv2d, Flatten, Linear, ReLU, Sequential } from "@curv/autodiff";
import type { Generator } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { parseArguments } from "./cli-args.js";
import { runPspaceTour } from "./tour.js";

const tinyCnn = (generator: Generator) =>
  new Sequential(new Conv2d(1, 2, 3, { padding: 1, generator, dtype: "float64" }), new ReLU(), new Flatten(), new Linear(32, 3, { generator, dtype: "float64" }));

describe("runPspaceTour on a tiny CNN", async () => {
  const outDir = join(mkdtempSync(join(tmpdir(), "pspace-tour-")), "out");
  const lines: string[] = [];
  const result = await runPspaceTour({ outDir, numData: 8, batchSize: 3, inputShape: [1, 4, 4], numClasses: 3, model: tinyCnn, panelSize: 40, ewcSteps: 3, log: (line) => lines.push(line) });
  const byName = Object.fromEntries(result.rows.map((r) => [r.name, r]));

  it("builds every representation, exact ones equal to the dense FIM", () => {
    expect(result.rows.map((r) => r.name)).toEqual(["PMatDense", "PMatBlockDiag", "PMatKFAC", "PMatQuasiDiag", "PMatDiag", "PMatLowRank", "PMatEKFAC", "PMatImplicit"]);
    for (const name of ["PMatDense", "PMatLowRank", "PMatImplicit"]) expect(byName[name].relativeError).toBeLessThan(1e-12);
    for (const name of ["PMatBlockDiag", "PMatQuasiDiag", "PMatDiag", "PMatEKFAC"]) expect(byName[name].trace).toBeCloseTo(byName.PMatDense.trace, 12);
    expect(byName.PMatEKFAC.relativeError).toBeLessThanOrEqual(byName.PMatKFAC.relativeError);
    expect(byName.PMatBlockDiag.relativeError).toBeLessThanOrEqual(byName.PMatQuasiDiag.relativeError);
    expect(byName.PMatQuasiDiag.relativeError).toBeLessThanOrEqual(byName.PMatDiag.relativeError);
    const p = 20 + 99;
    expect(byName.PMatDense.bytes).toBe(8 * p * p);
    expect(byName.PMatDiag.bytes).toBe(8 * p);
    expect(byName.PMatImplicit.bytes).toBe(0);
  });

  it("writes PNG and SVG figures and the tables", () => {
    expect(result.files.map((f) => f.slice(outDir.length + 1))).toEqual([
      "pspace-representations-log-abs.png", "pspace-representations-log-abs.svg", "pspace-representations.png", "pspace-representations.svg", "pspace-representations.md", "ewc.md",
    ]);
    const png = decode(readFileSync(join(outDir, "pspace-representations.png")));
    expect(png.width).toBeGreaterThan(4 * 40);
    expect(readFileSync(join(outDir, "pspace-representations.svg"), "utf8")).toContain("PMatEKFAC");
    expect(readFileSync(join(outDir, "pspace-representations.md"), "utf8")).toMatch(/\| PMatKFAC \| [\d.]+ \| [\d.e+-]+ \| [\d.]+ KiB \| \d+ ms \|/);
    expect(lines[0]).toBe('Model: Conv2d "0" (20), Linear "3" (99); P = 119, N = 8');
  });

  it("EWC: a Fisher penalty keeps the parameters closer to task A's in that Fisher's metric", () => {
    expect(result.ewc.map((r) => r.penalty)).toEqual(["none", "PMatDiag", "PMatKFAC"]);
    const [none, diag, kfac] = result.ewc;
    expect(diag.drift.PMatDiag).toBeLessThan(none.drift.PMatDiag);
    expect(kfac.drift.PMatKFAC).toBeLessThan(none.drift.PMatKFAC);
    expect(readFileSync(join(outDir, "ewc.md"), "utf8")).toContain("| PMatKFAC |");
  });
});

describe("parseArguments", () => {
  it("reads --out relative to the folder pnpm ran in, and --runtime", () => {
    expect(parseArguments(["--", "--out", "figs", "--runtime", "ort"], "/work", "/repo")).toEqual({ outDir: "/work/figs", runtime: "ort" });
    expect(parseArguments([], "/work", "/repo")).toEqual({ outDir: "/repo/out/pspace-tour", runtime: "js" });
    expect(() => parseArguments(["--size", "3"], "/work", "/repo")).toThrow(/bad argument "--size"/);
  });
});
