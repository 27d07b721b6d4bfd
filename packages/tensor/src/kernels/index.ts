// Public API of src/kernels: every export is named here.
export {
  abs, add, cast, ceil, clip, div, equal, erf, exp, floor, greater, greaterEqual, less, lessEqual, log, logicalAnd,
  logicalNot, logicalOr, maximum, minimum, mul, neg, pow, reciprocal, relu, sigmoid, sign, softplus, sqrt, sub, tanh,
  where,
  type IntDType, type NumericDType,
} from "./elementwise.js";
export { argMax, logSoftmax, logSumExp, max, mean, min, softmax, sum } from "./reduce.js";
export { gemm, gemmInto, matmul, type FloatArray, type GemmOptions } from "./matmul.js";
export {
  conv2d, convTranspose2d, fold, unfold,
  type Conv2dOptions, type ConvTranspose2dOptions, type UnfoldOptions,
} from "./conv.js";
export {
  avgPool2d, globalAvgPool2d, maxPool2d,
  type AvgPool2dOptions, type MaxPool2dOptions, type MaxPool2dResult,
} from "./pool.js";
export { expand, gather, oneHot, pad, tile, type OneHotOptions, type PadMode } from "./indexing.js";
export { batchNorm, layerNorm } from "./normalization.js";
