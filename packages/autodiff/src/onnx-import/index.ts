// ONNX model import and export: every export is named here.
export { importOnnx, type ImportOnnxOptions } from "./import-onnx.js";
export { OnnxModel } from "./onnx-model.js";
export { SUPPORTED_ONNX_OPERATORS } from "./operator-table.js";
export { ParameterScope } from "./parameter-scope.js";
export { toOnnx, type ToOnnxOptions } from "./to-onnx.js";
export { UnsupportedOnnxOperatorError } from "./unsupported-operator-error.js";
