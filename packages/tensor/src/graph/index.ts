// Public API of src/graph: every export is named here.
export * from "./ir.js";
export { GraphBuilder, type GraphBuilderOptions, type OpOptions } from "./builder.js";
export { eliminateCommonSubexpressions } from "./eliminate-common-subexpressions.js";
export { eliminateDeadCode } from "./eliminate-dead-code.js";
export { evaluateGraph, evaluateNode, type EvaluateGraphOptions } from "./evaluate.js";
export { checkGraphFeeds, type FeedCheckOptions, type SymbolBindings } from "./feeds.js";
export { Fnv1a64 } from "./fnv1a64.js";
export { foldConstants, type FoldConstantsOptions } from "./fold-constants.js";
export { fuseTransposeMatMul } from "./fuse-transpose-matmul.js";
export { hashGraph } from "./hash.js";
export { describeNode, inferNodeTypes, InferenceScope, KNOWN_VALUE_LIMIT } from "./inference-scope.js";
export { checkOpset } from "./opset.js";
export { simplify, type SimplifyOptions } from "./simplify.js";
export { attributesEqual, tensorDigest, tensorsEqual } from "./structural-equality.js";
export {
  addDims, broadcastDims, dimsAgree, dimsMayBeEqual, divideDims, isStaticShape, isUnknownDim, multiplyDims, UNKNOWN_DIM,
} from "./symbolic-dim.js";
export { validateGraph } from "./validate.js";
export { checkValueType, formatValueType } from "./value-type.js";
export { AttributeReader } from "./ops/attributes.js";
export { defineOperator } from "./ops/define-operator.js";
export { ONNX_DATA_TYPE_OF } from "./ops/elementwise.js";
export { getOperator, OPERATORS, REGISTRY_OPSET } from "./ops/index.js";
export {
  ALL_DTYPES, BOOL_DTYPES, FLOAT_DTYPES, INT64_DTYPES, INTEGER_DTYPES, NUMERIC_DTYPES,
  type AttributeKind, type AttributeSpec, type CountRange, type EvaluateOptions, type InputSpec, type OperatorDefinition,
  type OperatorRules,
} from "./ops/operator.js";
