/**
 * The pspace tour: one CNN's Fisher information matrix in every @curv/pspace
 * representation, drawn side by side on one colour scale (PNG and SVG, as the
 * curvature tour), the table of trace, error to the dense FIM, memory and
 * build time, and an EWC example.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CrossEntropyLoss, type Module } from "@curv/autodiff";
import type { CurvatureOptions } from "@curv/operators";
import { LayerCollection } from "@curv/pspace";
import { Generator, Tensor } from "@curv/tensor";
import { gridSvg, identityTransform, logAbs, svgToPng } from "@curv/viz";
import { elasticWeightConsolidation, ewcTable, type EwcRun } from "./ewc.js";
import { buildRepresentations, representationTable, type RepresentationRow } from "./representations.js";
import { syntheticBatches, tourCnn } from "./tour-model.js";

/** What to run; the defaults are the tour's own. */
export interface PspaceTourConfig {
  readonly outDir: string;
  readonly runtime?: "js" | "ort";
  readonly numData?: number;
  readonly batchSize?: number;
  readonly inputShape?: readonly number[];
  readonly numClasses?: number;
  readonly model?: (generator: Generator) => Module;
  readonly panelSize?: number;
  readonly ewcSteps?: number;
  readonly log?: (line: string) => void;
}

/** What the tour produced. */
export interface PspaceTourResult {
  readonly rows: readonly RepresentationRow[];
  readonly files: readonly string[];
  readonly ewc: readonly EwcRun[];
}

/**
 * NNGeometry's correlation picture (its `display_correl`):
 * `|M_ij| / √((d_i + d̄/100)(d_j + d̄/100))` with d the dense FIM's diagonal
 * for every panel, so all panels share one scale; clipped at 1 (an
 * approximation can exceed the dense FIM's diagonal).
 */
function correlation(matrix: Tensor, dense: Tensor): Tensor<"float64"> {
  const p = dense.shape[0];
  const d = Array.from({ length: p }, (_, i) => dense.data[i * p + i] as number);
  const shift = d.reduce((a, b) => a + b, 0) / p / 100;
  const out = new Tensor("float64", [p, p]);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out.data[i * p + j] = Math.min(1, Math.abs(matrix.data[i * p + j] as number) / Math.sqrt((d[i] + shift) * (d[j] + shift)));
  return out;
}

const VIEWS = [
  { stem: "pspace-representations-log-abs", transform: logAbs({ min: 1e-6 }), label: "log10 |entry| of the FIM", correlation: false },
  { stem: "pspace-representations", transform: identityTransform, label: "correlation |M_ij| / sqrt(d_i d_j) (d: dense FIM diagonal, clipped at 1)", correlation: true },
] as const;

function writeFigures(rows: readonly RepresentationRow[], outDir: string, panelSize: number): string[] {
  const files: string[] = [];
  const dense = rows[0].matrix;
  for (const view of VIEWS) {
    const svg = gridSvg(rows.map((r): { title: string; matrix: Tensor } => ({ title: r.name, matrix: view.correlation ? correlation(r.matrix, dense) : r.matrix })), {
      columns: 4, transform: view.transform, colorbarLabel: view.label, panelSize,
    });
    const svgPath = join(outDir, `${view.stem}.svg`);
    const pngPath = join(outDir, `${view.stem}.png`);
    writeFileSync(svgPath, svg);
    writeFileSync(pngPath, svgToPng(svg));
    files.push(pngPath, svgPath);
  }
  return files;
}

/** Runs the tour and writes its figures and tables into `outDir`. */
export async function runPspaceTour(config: PspaceTourConfig): Promise<PspaceTourResult> {
  const { outDir, runtime = "js", numData = 60, batchSize = 20, inputShape = [1, 8, 8], numClasses = 5, model: makeModel = tourCnn, panelSize = 220, ewcSteps = 20, log = console.log } = config;
  mkdirSync(outDir, { recursive: true });
  const generator = new Generator(0);
  const model = makeModel(generator);
  const taskA = syntheticBatches(generator, { numData, batchSize, inputShape, numClasses });
  const taskB = syntheticBatches(generator, { numData, batchSize, inputShape, numClasses });
  const options: CurvatureOptions = runtime === "ort" ? { runtime: "ort", providers: ["cpu"] } : { runtime: "js" };
  const lc = LayerCollection.fromModel(model);
  log(`Model: ${lc.layers.map((l) => `${l.kind} "${l.id}" (${l.numel})`).join(", ")}; P = ${lc.numel()}, N = ${numData}`);

  const rows = await buildRepresentations(model, taskA, options);
  const table = representationTable(rows);
  log(table);
  const files = writeFigures(rows, outDir, panelSize);
  const tablePath = join(outDir, "pspace-representations.md");
  writeFileSync(tablePath, `# The FIM of the tour's CNN in every representation\n\n${table}`);

  const loss = new CrossEntropyLoss();
  const { runs: ewc, importance } = await elasticWeightConsolidation({ model, loss, taskA, taskB, steps: ewcSteps, learningRate: 0.2, options });
  const ewcText = ewcTable(ewc, importance, ewcSteps);
  log(ewcText);
  const ewcPath = join(outDir, "ewc.md");
  writeFileSync(ewcPath, `# Elastic weight consolidation with a diagonal and a KFAC Fisher\n\n${ewcText}`);
  files.push(tablePath, ewcPath);
  log(`Wrote ${files.join(", ")}`);
  return { rows, files, ewc };
}
