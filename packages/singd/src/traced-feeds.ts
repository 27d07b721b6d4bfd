/**
 * What the step program's traced parts are fed (`dense-preconditioner-graph.ts`,
 * `tracedNaturalGradientOfFactors`), what a traced update hands back, and
 * the row counts of SINGD's √-scalings.
 */
import { tensor, type FloatDType, type Tensor } from "@curv/tensor";
import type { StructuredMatrix } from "@curv/structures";
import { denseNames } from "./dense-preconditioner-graph.js";
import type { LayerPreconditioner } from "./layer-preconditioner.js";
import type { SINGDLayer } from "./singd-layers.js";
import { lrCovAt } from "./singd-options.js";
import { stepNames, type StepProgram } from "./step-program.js";

/** Rows of `a` (SINGD divides a by √rows) and N_loss (ĝ = g·√N_loss) of `layer` for a batch of `n`. */
export function rowCounts(layer: SINGDLayer, n: number, shared: number): { rowsK: number; lossTerms: number } {
  const { kfacApprox, lossAverage } = layer.options;
  const rowsK = kfacApprox === "expand" ? n * shared : n;
  const lossTerms = lossAverage === null ? 1 : lossAverage === "batch" ? n : n * shared;
  return { rowsK, lossTerms };
}

/** What {@link tracedFeeds} needs of the step: the batch size, s_{t−1}, s_{t−1}/s_t², the step counter, the program's dtype. */
export interface TracedFeedContext {
readonly n: number;
readonly previousScale: number;
readonly gradUnscaling: number;
readonly step: number;
readonly dtype: FloatDType;
}

/**
 * The feeds of the traced layers: a structured layer's dense K and C
 * between updates; a dense layer's K Kᵀ and C Cᵀ between updates, and at an
 * update K, C, m_K, m_C and the scalars of SINGD's update.
 */
export function tracedFeeds(
layers: readonly SINGDLayer[], preconditioners: ReadonlyMap<string, LayerPreconditioner>, step: StepProgram, updating: readonly number[], context: TracedFeedContext,
): Record<string, Tensor> {
const { n, previousScale, gradUnscaling, dtype } = context;
  const feeds: Record<string, Tensor> = {};
  const scalar = (value: number) => tensor(value, { dtype });
  // A dense matrix's storage is its dense form; a structured one is expanded.
  const stored = (m: StructuredMatrix<FloatDType> | undefined) => {
    const matrix = m as StructuredMatrix<FloatDType>;
    return matrix.structureName === "dense" ? matrix.namedTensors()[0][1] : matrix.toDense();
  };
  layers.forEach((layer, i) => {
    if (step.tracedNaturalGradient[i]) {
      const forms = (preconditioners.get(layer.name) as LayerPreconditioner).denseForms();
      feeds[stepNames.denseK(i)] = forms.K;
      feeds[stepNames.denseC(i)] = forms.C;
      return;
    }
    if (!step.traced[i]) return;
    const p = preconditioners.get(layer.name) as LayerPreconditioner;
    if (!updating.includes(i)) {
      const products = p.denseProducts();
      feeds[denseNames.productK(i)] = products.K;
      feeds[denseNames.productC(i)] = products.C;
      return;
    }
    feeds[denseNames.K(i)] = stored(p.K);
    feeds[denseNames.C(i)] = stored(p.C);
    const { rowsK, lossTerms } = rowCounts(layer, n, step.sharedPositions[i]);
    const kinds = step.terms.get(i) as { input: "moment" | "rows"; gradient: "moment" | "rows" }; // traced layers never take "diagonal"
    feeds[denseNames.inputScale(i)] = scalar(kinds.input === "rows" ? Math.sqrt(rowsK) : rowsK);
    feeds[denseNames.gradientScale(i)] = scalar(kinds.gradient === "rows" ? Math.sqrt(lossTerms) / Math.sqrt(previousScale) : lossTerms / previousScale);
    feeds[denseNames.unscaling(i)] = scalar(gradUnscaling);
    feeds[denseNames.lrCov(i)] = scalar(lrCovAt(layer.options.lrCov, context.step, layer.name));
    if (layer.options.alpha1 !== 0) {
      feeds[denseNames.mK(i)] = stored(p.mK);
      feeds[denseNames.mC(i)] = stored(p.mC);
    }
  });
  return feeds;
}

/** Installs the traced update's new K, C, m_K, m_C (copies of the outputs). */
export function installTracedUpdate(p: LayerPreconditioner, i: number, outputs: Record<string, Tensor>): void {
  p.invalidate();
  const dense = (like: StructuredMatrix<FloatDType>, name: string) => like.structure.fromDense(outputs[name] as Tensor<FloatDType>);
  if (p.mK !== undefined) p.mK = dense(p.mK, denseNames.nextMK(i));
  if (p.mC !== undefined) p.mC = dense(p.mC, denseNames.nextMC(i));
  p.K = dense(p.K, denseNames.nextK(i));
  p.C = dense(p.C, denseNames.nextC(i));
  p.products = { K: outputs[denseNames.productK(i)] as Tensor<FloatDType>, C: outputs[denseNames.productC(i)] as Tensor<FloatDType> };
}
