// The app end to end on a few hundred Fashion-MNIST examples (Debian's
// dataset-fashion-mnist, installed by scripts/setup.sh).
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadNpz } from "@curv/autodiff";
import { runFashionMnist } from "./app.js";
import { parseAppArguments } from "./cli-args.js";
import { REPORT_FILES } from "./report.js";

describe("singd-fashion-mnist on a subset", () => {
  it("trains every optimizer on the same batches, lowers the loss and writes pictures, tables and the PyTorch setup", { timeout: 300_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), "singd-fmnist-"));
    const args = parseAppArguments(["--train-limit", "640", "--test-limit", "300", "--batch-size", "32", "--evals-per-epoch", "2", "--out", outDir], "/", "/");
    const lines: string[] = [];
    const results = await runFashionMnist(args, (line) => lines.push(line));
    for (const file of [...REPORT_FILES, "torch-setup.npz", "settings.json"]) expect(existsSync(join(outDir, file)), file).toBe(true);
    expect(readFileSync(join(outDir, "loss.png")).subarray(1, 4).toString()).toBe("PNG");
    expect(results.length).toBeGreaterThanOrEqual(2);
    for (const r of results) {
      expect(r.stopped, r.name).toBeUndefined();
      expect(r.losses).toHaveLength(20);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(r.losses.slice(-5)), r.name).toBeLessThan(mean(r.losses.slice(0, 3)));
      expect(r.evaluations.map((e) => e.step)).toEqual([0, 10, 20]);
      expect(r.evaluations[2].accuracy, r.name).toBeGreaterThan(r.evaluations[0].accuracy);
    }
    const bytes = (name: string) => results.find((r) => r.name === name)?.preconditionerBytes;
    expect(bytes("SINGD-diagonal")).toBeGreaterThan(0);
    expect(bytes("SINGD-diagonal")).toBeLessThan(bytes("SINGD-dense") as number);
    expect(bytes("AdamW")).toBeUndefined();
    const table = readFileSync(join(outDir, "results.md"), "utf8");
    for (const r of results) expect(table).toContain(`| ${r.name} |`);
    const setup = loadNpz(readFileSync(join(outDir, "torch-setup.npz")));
    expect(setup["order.0"].shape).toEqual([640]);
    expect(setup["3.weight"].shape).toEqual([50, 432]);
  });

  it("rejects unknown optimizers and bad flags", async () => {
    await expect(runFashionMnist(parseAppArguments(["--optimizers", "Adam"], "/", "/"))).rejects.toThrow(/unknown optimizer\(s\) Adam; choose from SINGD-dense, .*AdamW, SGD/);
    expect(() => parseAppArguments(["--epochs", "0"], "/", "/")).toThrow(/--epochs must be an integer >= 1/);
    expect(() => parseAppArguments(["--learning-rate", "1"], "/", "/")).toThrow(/unknown argument/);
  });
});
