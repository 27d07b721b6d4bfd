// Public API of src/onnx: every export is named here.
export { encodeOnnx, type EncodeOnnxOptions } from "./encode-model.js";
export { decodeOnnx } from "./decode-model.js";
export {
  irVersionForOpset,
  KNOWN_DOMAIN_VERSIONS,
  MAX_IR_VERSION,
  MAX_ONNX_OPSET,
  MIN_ONNX_OPSET,
} from "./versions.js";
export { FLOAT_ATTRIBUTE_NAMES, INTEGER_ATTRIBUTES_OF_OP, shortestFloat32 } from "./attributes.js";
