// Losses with the curvature pieces of curvlinops' conventions.
export { BCEWithLogitsLoss } from "./bce-with-logits-loss.js";
export { CrossEntropyLoss, sampleOneHot, type CrossEntropyHessianSqrt } from "./cross-entropy-loss.js";
export type { CurvatureLoss, Reduction } from "./loss.js";
export { MSELoss } from "./mse-loss.js";
