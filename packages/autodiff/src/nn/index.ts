// nn: PyTorch-style modules whose forward is traced over program inputs.
export { Identity, ReLU, Sigmoid, Tanh } from "./activations.js";
export { BatchNorm2d, type BatchNorm2dOptions } from "./batch-norm2d.js";
export { Conv2d, convPadding, type Conv2dLayerOptions, type Conv2dPadding, type Pair } from "./conv2d.js";
export { Dropout, dropoutMask } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { ForwardContext, type ForwardHooks, type LayerRecord } from "./forward-context.js";
export { defaultBias, defaultGenerator, kaimingUniform } from "./init.js";
export type { ParameterOptions } from "./layer-options.js";
export { LayerNorm, type LayerNormOptions } from "./layer-norm.js";
export { Linear, type LinearOptions } from "./linear.js";
export { ModelInputs, type RandomInput, type RandomInputSpec } from "./model-inputs.js";
export { Module, type LoadStateDictOptions, type LoadStateDictResult, type StateDict } from "./module.js";
export { compileModel, type CompiledModel } from "./compile-model.js";
export { AvgPool2d, MaxPool2d, type AvgPool2dLayerOptions, type MaxPool2dLayerOptions } from "./pooling.js";
export { Sequential } from "./sequential.js";
export { assertFinite, functionalCall, traceModel, type FeedOptions, type TraceModelOptions, type TracedModel } from "./trace-model.js";
