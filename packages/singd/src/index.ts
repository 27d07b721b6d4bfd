/**
 * `@curv/singd`: SINGD (structured inverse-free natural gradient descent) and
 * the SGD / AdamW baselines it is compared against.
 *
 * @packageDocumentation
 */
export const SINGD_PACKAGE = "@curv/singd";

// Baselines (PyTorch's SGD and AdamW) for comparisons in one process
export { AdamW, type AdamWOptions, type AdamWState } from "./baselines/adamw.js";
export { SGD, type SGDOptions } from "./baselines/sgd.js";
export { FirstOrderOptimizer, type FirstOrderRunOptions, type FloatArray } from "./baselines/first-order-optimizer.js";
export { LossAndGradientProgram, type Batch, type LossAndGradient } from "./baselines/loss-and-gradient.js";
