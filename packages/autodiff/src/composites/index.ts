// Composites: functions of primitives, with no rules of their own.
export { avgPool2d, type AvgPool2dOptions } from "./avg-pool2d.js";
export { crossEntropyWithLogits, pickClasses } from "./cross-entropy.js";
export { embeddingLookup } from "./embedding.js";
export { gelu, type GeluApproximation } from "./gelu.js";
export { logSumExp } from "./log-sum-exp.js";
export { mean } from "./mean.js";
export { abs, relu } from "./relu.js";
export { logSoftmax, softmax } from "./softmax.js";
export { softplus } from "./softplus.js";
export { tanh } from "./tanh.js";
export { unfold } from "./unfold.js";
