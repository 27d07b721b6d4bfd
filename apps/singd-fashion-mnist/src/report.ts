/**
 * What a run writes: the loss and test-accuracy curves (SVG and PNG), the
 * table of final test accuracy, time per epoch and pre-conditioner memory
 * (Markdown), and everything as JSON.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { lineChartSvg, svgToPng, type LineSeries } from "@curv/viz";
import type { RunResult } from "./train.js";

/** The files {@link writeReport} writes, relative to the output folder. */
export const REPORT_FILES = ["loss.svg", "loss.png", "test-accuracy.svg", "test-accuracy.png", "results.md", "results.json"] as const;

/** The training loss averaged over windows of about 1/25 epoch (at least one step), against epochs. */
export function smoothedLoss(result: RunResult, stepsPerEpoch: number): LineSeries {
  const window = Math.max(1, Math.round(stepsPerEpoch / 25));
  const x: number[] = [];
  const y: number[] = [];
  for (let start = 0; start < result.losses.length; start += window) {
    const chunk = result.losses.slice(start, start + window);
    x.push((start + chunk.length) / stepsPerEpoch);
    y.push(chunk.reduce((a, b) => a + b, 0) / chunk.length);
  }
  return { label: result.name, x, y };
}

/** The Markdown table: one row per optimizer. */
export function resultsTable(results: readonly RunResult[]): string {
  const rows = results.map((r) => {
    const final = r.evaluations[r.evaluations.length - 1];
    const perEpoch = r.epochSeconds.length === 0 ? NaN : r.epochSeconds.reduce((a, b) => a + b, 0) / r.epochSeconds.length;
    const memory = r.preconditionerBytes === undefined ? "—" : formatBytes(r.preconditionerBytes);
    const note = r.stopped === undefined ? "" : ` (stopped: ${r.stopped.split("\n")[0].slice(0, 80)})`;
    return `| ${r.name} | ${(100 * final.accuracy).toFixed(2)}%${note} | ${perEpoch.toFixed(2)} | ${memory} |`;
  });
  return ["| optimizer | final test accuracy | wall time per epoch (s, steps only) | pre-conditioner memory (K, C, m_K, m_C) |", "|---|---|---|---|", ...rows].join("\n");
}

/** Writes every file of {@link REPORT_FILES} into `outDir`. */
export function writeReport(outDir: string, results: readonly RunResult[], context: { stepsPerEpoch: number; header: string }): void {
  const size = { width: 600, height: 360 };
  const loss = lineChartSvg(results.map((r) => smoothedLoss(r, context.stepsPerEpoch)), {
    title: "Fashion-MNIST: training loss (mean over ~1/25 epoch)", xLabel: "epoch", yLabel: "cross-entropy", ...size,
  });
  const accuracy = lineChartSvg(results.map((r) => ({ label: r.name, x: r.evaluations.map((e) => e.epoch), y: r.evaluations.map((e) => 100 * e.accuracy) })), {
    title: "Fashion-MNIST: test accuracy", xLabel: "epoch", yLabel: "test accuracy (%)", ...size,
  });
  writeFileSync(join(outDir, "loss.svg"), loss);
  writeFileSync(join(outDir, "loss.png"), svgToPng(loss));
  writeFileSync(join(outDir, "test-accuracy.svg"), accuracy);
  writeFileSync(join(outDir, "test-accuracy.png"), svgToPng(accuracy));
  writeFileSync(join(outDir, "results.md"), `${context.header}\n\n${resultsTable(results)}\n`);
  writeFileSync(join(outDir, "results.json"), `${JSON.stringify({ header: context.header, results }, null, 1)}\n`);
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
