// @curv/autodiff: every export is named here.

// Values, leaves and programs
export { Value, type ValueSource } from "./core/value.js";
export { input, literal, type Operand } from "./core/leaves.js";
export { bind, definePrimitive, type NoParams, type Params, type Primitive } from "./core/primitive.js";
export { makeProgram, trace, type InputSpec, type Program, type ProgramOutput, type TraceResult } from "./core/program.js";

// Primitives and composites
export {
  add, broadcastTo, cast, concat, conv2d, convTranspose2d, div, equal, erf, exp, greater, less, log, matmul, maximum, maxPool2d,
  mul, neg, oneHot, pad, pow, reduceMax, reduceSum, reshape, sigmoid, slice, sqrt, stopGradient, sub, swapLastAxes,
  tapLayerInput, tapLayerOutput, transpose, where, zerosLike,
  type Conv2dOptions, type ConvTranspose2dOptions, type MaxPool2dOptions, type SliceRange, type WindowOptions,
  PRIMITIVES,
} from "./primitives/index.js";
export {
  abs, avgPool2d, crossEntropyWithLogits, embeddingLookup, gelu, logSoftmax, logSumExp, mean, pickClasses, relu, softmax, softplus, tanh, unfold,
  type AvgPool2dOptions, type GeluApproximation,
} from "./composites/index.js";

// Rules (for adding primitives)
export { defBilinear, defJvp, defJvpZero, defLinear } from "./rules/jvp-helpers.js";
export type { BatchRule, JvpRule, LoweringContext, OnnxLowering, PrimitiveEntry, PrimitiveRules, TransposeRule } from "./rules/rule-types.js";

// Transformations
export { jvp, jvpRules, pushTangents } from "./transforms/jvp.js";
export { transposeLinear, transposeRules } from "./transforms/transpose.js";
export { grad, linearize, valueAndGrad, vjp, type Linearization } from "./transforms/vjp.js";
export { hvp } from "./transforms/hvp.js";
export { ggnVectorProduct, lossHessianVectorProduct } from "./transforms/ggn.js";
export { batchRules, batchValues, vmap } from "./transforms/batch.js";
export { tappedVjp, type TappedCotangents } from "./transforms/taps.js";
export { MissingRuleError } from "./transforms/rule-lookup.js";

// Lowering and execution
export { lowerProgram, type LowerOptions } from "./lower/lower-program.js";
export { onnxLowerings } from "./lower/onnx-lowerings.js";
export { compileFunction, compileProgram, type CompiledFunction, type CompileFunctionOptions } from "./compile-function.js";

// nn modules (PyTorch names and layouts); a model + data spec -> program via traceModel
export {
  AvgPool2d, BatchNorm2d, Conv2d, convPadding, defaultBias, defaultGenerator, Dropout, dropoutMask, Embedding, Flatten, ForwardContext, GELU,
  Identity, kaimingUniform, LayerNorm, Linear, MaxPool2d, ModelInputs, Module, MultiheadAttention, ReLU, Sequential, Sigmoid, Softmax, Tanh,
  TransformerEncoderLayer, type MultiheadAttentionOptions, type TransformerEncoderLayerOptions,
  assertFinite, compileModel, functionalCall, traceModel,
  type AvgPool2dLayerOptions, type BatchNorm2dOptions, type CompiledModel, type Conv2dLayerOptions, type Conv2dPadding, type FeedOptions, type ForwardHooks,
  type LayerNormOptions, type LayerRecord, type LinearOptions, type LoadStateDictOptions, type LoadStateDictResult, type MaxPool2dLayerOptions,
  type Pair, type ParameterOptions, type RandomInput, type RandomInputSpec, type StateDict, type TraceModelOptions, type TracedModel,
} from "./nn/index.js";

// Losses (curvlinops conventions): value, loss-Hessian square root, MC would-be gradients
export { BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, sampleOneHot, type CrossEntropyHessianSqrt, type CurvatureLoss, type Reduction } from "./losses/index.js";

// ONNX model import and export; NumPy .npy / .npz files
export {
  importOnnx, OnnxModel, ParameterScope, SUPPORTED_ONNX_OPERATORS, toOnnx, UnsupportedOnnxOperatorError,
  type ImportOnnxOptions, type ToOnnxOptions,
} from "./onnx-import/index.js";
export { DEFAULT_MAX_NPZ_BYTES, loadNpy, loadNpz, NpyFormatError, npzNames, saveNpy, saveNpz, type LoadNpzOptions, type SaveNpzOptions } from "./npy/index.js";

// State dicts on disk: JSON ({name: {shape, data}}) and safetensors
export {
  decodeSafetensors, encodeSafetensors, stateDictFromJson, stateDictToJson, type JsonTensor, type Safetensors, type StateDictFromJsonOptions,
} from "./state-dict/index.js";
