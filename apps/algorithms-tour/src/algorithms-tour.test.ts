import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAlgorithmsTour } from "./algorithms-tour.js";

// The tour on its first batch (20 examples), with small budgets, on ORT CPU
// in float32: the pictures are written and the numbers behind them make sense.
describe("algorithms tour", () => {
  it("writes its five figures as PNG and SVG, with eigenvalues, errors and residuals that agree with dense references", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "algorithms-tour-"));
    const lines: string[] = [];
    const result = await runAlgorithmsTour({
      outDir, batches: 1, ncv: 24, numRepeats: 1, budgets: [12, 48, 96], seeds: 3, iterations: 30, log: (line) => lines.push(line),
    });
    for (const name of ["spectral-density-hessian", "spectral-density-ggn", "trace-estimators", "diagonal-estimators", "inverse-residuals"]) {
      for (const extension of ["png", "svg"]) {
        const file = join(outDir, `${name}.${extension}`);
        expect(existsSync(file), file).toBe(true);
        expect(result.files).toContain(file);
      }
      expect(readFileSync(join(outDir, `${name}.png`)).subarray(1, 4).toString()).toBe("PNG");
    }
    for (const matrix of ["hessian", "ggn"] as const) {
      const { eigsh, eigh } = result.topEigenvalues[matrix];
      expect(Math.abs(eigsh - eigh) / eigh).toBeLessThan(1e-3);
    }
    // The GGN's spectrum decays fast: sketching estimators beat Hutchinson at the largest budget.
    const last = (name: string) => result.estimatorErrors[name].at(-1)!;
    expect(last("trace XTrace")).toBeLessThan(last("trace Hutchinson"));
    expect(last("diagonal XDiag")).toBeLessThan(last("diagonal Hutchinson"));
    for (const residual of Object.values(result.finalResiduals)) expect(residual).toBeLessThan(1);
    expect(result.finalResiduals["KFAC-preconditioned CG"]).toBeLessThan(result.finalResiduals.Neumann);
    expect(lines[0]).toBe("Tour CNN: 683 parameters, 20 examples");
  }, 300_000);
});
