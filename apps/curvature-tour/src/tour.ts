/**
 * The visual tour of curvature matrices (curvlinops' `example_visual_tour`):
 * a small CNN on synthetic 5-class data, six curvature matrices of it built
 * densely from their linear operators, and two pictures of them on one
 * shared colour scale.
 */
import { CrossEntropyLoss, type Module } from "@curv/autodiff";
import type { CurvatureOptions } from "@curv/operators";
import { Generator } from "@curv/tensor";
import { CURVATURE_PANELS, type CurvaturePanel } from "./curvature-panels.js";
import { writeCurvatureFigures, type TitledMatrix } from "./curvature-figures.js";
import { layerBoundaries } from "./layer-boundaries.js";
import { layerParameterCounts, syntheticClassification, tourCnn } from "./tour-model.js";

/** What the tour computes and where it writes; everything but `outDir` defaults to the seed's setup. */
export interface TourConfig {
  readonly outDir: string;
  /** `undefined`: the default provider (`CURV_PROVIDER`, else ONNX Runtime's CPU). `js`: the TypeScript interpreter. */
  readonly provider?: "cpu" | "cuda" | "webgpu" | "js";
  /** Seed of the data and the initial weights; default 0, as the seed's `manual_seed(0)`. */
  readonly seed?: number;
  readonly numData?: number;
  readonly batchSize?: number;
  readonly inputShape?: readonly number[];
  readonly numClasses?: number;
  /** The network; default the seed's CNN ({@link tourCnn}). */
  readonly model?: (generator: Generator) => Module;
  /** Pixels per matrix side in the pictures; default 400. */
  readonly panelSize?: number;
  /** Which panels to draw; default all six. */
  readonly panels?: readonly CurvaturePanel[];
  /** Where lines of text go; default `console.log`. */
  readonly log?: (line: string) => void;
}

/** What the tour produced. */
export interface TourResult {
  readonly layerParameters: readonly number[];
  readonly matrices: readonly TitledMatrix[];
  /** The PNG and SVG files written. */
  readonly files: readonly string[];
}

function runtimeOptionsOf(provider: TourConfig["provider"]): Pick<CurvatureOptions, "runtime" | "providers"> {
  if (provider === undefined) return {};
  return provider === "js" ? { runtime: "js" } : { runtime: "ort", providers: [provider] };
}

/**
 * Runs the tour: prints the parameter counts as the seed does, builds each
 * matrix (printing its time), and writes the pictures.
 *
 * @example
 * ```ts
 * const { files } = await runCurvatureTour({ outDir: "out/curvature-tour" });
 * ```
 */
export async function runCurvatureTour(config: TourConfig): Promise<TourResult> {
  const { numData = 50, batchSize = 20, inputShape = [3, 10, 10], numClasses = 5, panelSize = 400, log = console.log } = config;
  const generator = new Generator(config.seed ?? 0);
  // The seed draws the data before building the model.
  const data = syntheticClassification(generator, { numData, batchSize, inputShape, numClasses });
  const model = (config.model ?? tourCnn)(generator);
  const params = model.namedParameters().map(([name]) => name);
  const layerParameters = layerParameterCounts(model);
  log(`Total parameters: ${model.numParameters}`);
  log(`Layer parameters: [${layerParameters.join(", ")}]`);

  const lossFunction = new CrossEntropyLoss({ reduction: "mean" });
  // The progress bar is toDense's, over column chunks (a per-product bar inside it would break its line).
  const options: CurvatureOptions = { numData, ...runtimeOptionsOf(config.provider) };
  const matrices: TitledMatrix[] = [];
  for (const panel of config.panels ?? CURVATURE_PANELS) {
    const started = performance.now();
    const matrix = await panel.operator(model, lossFunction, params, data, options).toDense({ progressbar: true });
    log(`${panel.title}: ${matrix.shape[0]} x ${matrix.shape[1]} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    matrices.push({ title: panel.title, matrix });
  }
  const files = writeCurvatureFigures(matrices, { outDir: config.outDir, boundaries: layerBoundaries(layerParameters), panelSize });
  for (const file of files) log(`wrote ${file}`);
  return { layerParameters, matrices, files };
}
