// The tour on a tiny model with few steps into a temporary folder: the loss
// goes down, the figures and the table are written, and the curvature numbers
// are consistent (eigenvalues within the trace, the attention block's size).
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { parseArguments } from "./cli-args.js";
import { entropyFloor, sampleSequences } from "./language.js";
import { runTransformerTour } from "./tour.js";

describe("runTransformerTour on a tiny causal LM", async () => {
  const outDir = join(mkdtempSync(join(tmpdir(), "transformer-tour-")), "out");
  const lines: string[] = [];
  const result = await runTransformerTour({
    outDir, steps: 40, batchSize: 16, numSequences: 64, sequenceLength: 5, layers: 1, dModel: 8, lr: 1e-2, heads: 2, dimFeedforward: 8, curvatureSequences: 4, eigenvalues: 3, panelSize: 64,
    log: (line) => lines.push(line),
  });

  it("trains: the loss goes down and stays above the language's entropy", () => {
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(result.losses).toHaveLength(40);
    expect(mean(result.losses.slice(-5))).toBeLessThan(mean(result.losses.slice(0, 5)) - 0.2);
    expect(Math.min(...result.losses)).toBeGreaterThan(0.5 * result.entropyFloor);
  });

  it("writes the loss curve, the curvature table and the attention GGN heatmap", () => {
    expect(result.files.map((f) => f.slice(outDir.length + 1))).toEqual(["loss.svg", "loss.png", "curvature.md", "attention-ggn.svg", "attention-ggn.png"]);
    for (const file of result.files) expect(existsSync(file)).toBe(true);
    expect(decode(readFileSync(join(outDir, "loss.png"))).width).toBeGreaterThan(200);
    expect(decode(readFileSync(join(outDir, "attention-ggn.png"))).width).toBeGreaterThan(64);
    expect(readFileSync(join(outDir, "curvature.md"), "utf8")).toMatch(/\| layer0\.self_attn\.out_proj \| 72 \| [\d.]+ \| [\d.e-]+ \| [\d.e-]+ \| [\d.e-]+ \|/);
  });

  it("reports consistent curvature numbers", () => {
    const { eigenvalues, ggnTrace, kfac, attentionSize } = result;
    expect(eigenvalues).toHaveLength(3);
    expect(eigenvalues[0]).toBeGreaterThanOrEqual(eigenvalues[2]);
    expect(eigenvalues[2]).toBeGreaterThan(0);
    expect(eigenvalues.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(ggnTrace * (1 + 1e-9));
    expect(kfac.map((r) => r.layer)).toEqual(["embed", "layer0.self_attn.out_proj", "layer0.linear1", "layer0.linear2", "head"]);
    for (const r of kfac) expect(r.trace).toBeCloseTo(r.traceA * r.traceG, 12);
    // A of the embedding holds token counts / (N T): its trace is 1.
    expect(kfac[0].traceA).toBeCloseTo(1, 12);
    expect(kfac.reduce((s, r) => s + r.ggnTrace, 0)).toBeLessThan(ggnTrace);
    expect(attentionSize).toBe(3 * 8 * 8 + 3 * 8 + 8 * 8 + 8);
    expect(lines[1]).toMatch(/^Model: d = 8, 2 heads, ff 8, 1 causal layer\(s\); P = \d+$/);
  });
});

describe("the language", () => {
  it("writes sums modulo 10: a + b = s", () => {
    const tokens = Array.from(sampleSequences(3, 11, 5, 10).data as BigInt64Array, Number);
    for (let n = 0; n < 3; n++) {
      for (const start of [0, 5]) {
        const [a, plus, b, equals, s] = tokens.slice(n * 11 + start, n * 11 + start + 5);
        expect([plus, equals, s]).toEqual([10, 11, (a + b) % 10]);
      }
    }
    expect(entropyFloor(10)).toBeCloseTo(0.4 * Math.log(10), 14);
  });
});

describe("parseArguments", () => {
  it("reads --out relative to the folder pnpm ran in, and the sizes", () => {
    expect(parseArguments(["--", "--out", "figs", "--steps", "50", "--layers", "2"], "/work", "/repo")).toEqual({ outDir: "/work/figs", runtime: "ort", steps: 50, layers: 2 });
    expect(parseArguments([], "/work", "/repo")).toEqual({ outDir: "/repo/out/transformer-tour", runtime: "ort" });
    expect(() => parseArguments(["--steps", "0"], "/work", "/repo")).toThrow(/bad argument "--steps"/);
  });
});
