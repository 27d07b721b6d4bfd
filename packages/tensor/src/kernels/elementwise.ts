// Elementwise kernels of ONNX operators, NumPy broadcasting throughout. Each
// family lives in its own file; this module is the one place to import them from.
export {
  abs, ceil, erf, exp, floor, log, logicalNot, neg, reciprocal, relu, sigmoid, sign, softplus, sqrt, tanh,
  type IntDType, type NumericDType,
} from "./elementwise-unary.js";
export {
  add, div, equal, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, maximum, minimum, mul, pow, sub,
} from "./elementwise-binary.js";
export { clip, where } from "./elementwise-select.js";
export { cast } from "./cast.js";
