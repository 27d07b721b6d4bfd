// @curv/singd: SINGD and its baselines. Every export is named here.
export { SINGD, type SINGDBatch, type SINGDStepOptions } from "./singd.js";
export {
  SINGD_DEFAULTS,
  type LossAverage, type LrCov, type ResolvedHyperparameters, type SINGDHyperparameters, type SINGDKFACApproximation,
  type SINGDOptions, type SINGDParamGroup,
} from "./singd-options.js";
export type { SINGDLayer } from "./singd-layers.js";
export { LayerPreconditioner, type CurvatureTerms, type LayerTerm } from "./layer-preconditioner.js";

// Baselines (PyTorch's SGD and AdamW) for comparisons in one process
export { AdamW, type AdamWOptions, type AdamWState } from "./baselines/adamw.js";
export { SGD, type SGDOptions } from "./baselines/sgd.js";
export { FirstOrderOptimizer, type FirstOrderRunOptions, type FloatArray } from "./baselines/first-order-optimizer.js";
export { LossAndGradientProgram, type Batch, type LossAndGradient } from "./baselines/loss-and-gradient.js";
