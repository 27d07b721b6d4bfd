/**
 * Normalization layers at inference: BatchNormalization (running
 * statistics), LayerNormalization, and Dropout (the identity).
 */
import { GraphError, ShapeError } from "../../errors.js";
import { batchNorm, layerNorm } from "../../kernels/index.js";
import { formatShape } from "../../shape.js";
import { full, type Tensor } from "../../tensor.js";
import type { Dim, ValueType } from "../ir.js";
import { dimsMayBeEqual } from "../symbolic-dim.js";
import { attributeError, type AttributeReader } from "./attributes.js";
import { attributeAxis } from "./axes.js";
import { scalarOf } from "./constant-operands.js";
import { defineOperator } from "./define-operator.js";
import { BOOL_DTYPES, FLOAT_DTYPES, type OperatorDefinition } from "./operator.js";

/** Dropout in training mode draws random masks; curv feeds randomness from the host, so only inference is supported. */
function rejectTraining(trainingMode: Tensor | undefined): void {
  if (trainingMode !== undefined && scalarOf(trainingMode, 'input 2 ("training_mode")') !== 0) {
    throw new GraphError('input 2 ("training_mode") is true, but only inference Dropout (the identity) is supported');
  }
}

const DROPOUT = defineOperator({
  name: "Dropout",
  inputs: [
    { name: "data", type: "T" },
    { name: "ratio", type: "T1", optional: true },
    { name: "training_mode", type: "T2", optional: true },
  ],
  outputCount: { min: 1, max: 2 },
  typeConstraints: { T: FLOAT_DTYPES, T1: FLOAT_DTYPES, T2: BOOL_DTYPES },
  attributes: { seed: { kind: "int" } },
  inferTypes([x], _attributes, constants) {
    rejectTraining(constants[2]);
    const { dtype, shape } = x as ValueType;
    return [{ dtype, shape }, { dtype: "bool", shape }];
  },
  evaluate([x, , trainingMode], _attributes, outputCount) {
    rejectTraining(trainingMode);
    // At inference nothing is dropped: the mask keeps every element.
    return outputCount === 1 ? [x!] : [x!, full(x!.shape, 1, "bool")];
  },
});

type FloatTensor = Tensor<"float32" | "float64">;

const BATCH_NORM_INPUTS = ["scale", "B", "input_mean", "input_var"];

/** The per-channel inputs of BatchNormalization must be `[C]` for `X` of shape `[N, C, ...]`. */
function checkBatchNorm(x: readonly Dim[], perChannel: readonly (readonly Dim[])[], attributes: AttributeReader): void {
  if (attributes.int("training_mode") !== 0) {
    throw attributeError("training_mode", "= 1 is not supported: BatchNormalization runs at inference, on the running statistics");
  }
  if (x.length < 2) throw new ShapeError(`input 0 ("X") must be [N, C, ...], got ${formatShape(x)}`);
  perChannel.forEach((shape, i) => {
    if (shape.length !== 1 || !dimsMayBeEqual(shape[0], x[1])) {
      throw new ShapeError(`input ${i + 1} ("${BATCH_NORM_INPUTS[i]}") must be [${x[1]}], one entry per channel of X ${formatShape(x)}, got ${formatShape(shape)}`);
    }
  });
}

/**
 * BatchNormalization (opset 15) at inference: `(x - mean) / sqrt(var + eps) * scale + B`
 * per channel. ONNX lets the statistics have another float type than X; curv
 * asks for one dtype throughout, as its kernel does.
 */
const BATCH_NORMALIZATION = defineOperator({
  name: "BatchNormalization",
  inputs: [
    { name: "X", type: "T" },
    { name: "scale", type: "T" },
    { name: "B", type: "T" },
    { name: "input_mean", type: "T" },
    { name: "input_var", type: "T" },
  ],
  typeConstraints: { T: FLOAT_DTYPES },
  attributes: {
    epsilon: { kind: "float", default: 1e-5 },
    momentum: { kind: "float", default: 0.9 },
    training_mode: { kind: "int", default: 0 },
  },
  inferTypes([x, ...perChannel], attributes) {
    checkBatchNorm(x!.shape, perChannel.map((p) => p!.shape), attributes);
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  evaluate: ([x, scale, bias, mean, variance], attributes) => [
    batchNorm(x as FloatTensor, scale as FloatTensor, bias as FloatTensor, mean as FloatTensor, variance as FloatTensor, attributes.float("epsilon")),
  ],
});

/** Scale and B must broadcast to the normalized extents `X.shape[axis:]`. */
function checkLayerNorm(x: readonly Dim[], axis: number, affine: readonly (ValueType | undefined)[]): void {
  const normalized = x.slice(axis);
  affine.forEach((type, i) => {
    if (type === undefined) return;
    const lead = normalized.length - type.shape.length;
    if (lead < 0 || !type.shape.every((d, k) => d === 1 || dimsMayBeEqual(d, normalized[lead + k]))) {
      throw new ShapeError(`input ${i + 1} ("${i === 0 ? "Scale" : "B"}") ${formatShape(type.shape)} does not broadcast to the normalized extents ${formatShape(normalized)}`);
    }
  });
}

/** LayerNormalization (opset 17) over the axes from `axis` on; only its first output (Y). */
const LAYER_NORMALIZATION = defineOperator({
  name: "LayerNormalization",
  inputs: [{ name: "X", type: "T" }, { name: "Scale", type: "T" }, { name: "B", type: "T", optional: true }],
  typeConstraints: { T: FLOAT_DTYPES },
  attributes: {
    axis: { kind: "int", default: -1 },
    epsilon: { kind: "float", default: 1e-5 },
    stash_type: { kind: "int", default: 1 },
  },
  inferTypes([x, scale, bias], attributes) {
    checkLayerNorm(x!.shape, attributeAxis("axis", attributes.int("axis"), x!.shape.length), [scale, bias]);
    return [{ dtype: x!.dtype, shape: x!.shape }];
  },
  evaluate: ([x, scale, bias], attributes) => [
    layerNorm(x as FloatTensor, scale as FloatTensor, bias as FloatTensor | undefined, attributes.int("axis"), attributes.float("epsilon")),
  ],
});

/** BatchNormalization, LayerNormalization and Dropout. */
export const NORMALIZATION_OPERATORS: readonly OperatorDefinition[] = [BATCH_NORMALIZATION, LAYER_NORMALIZATION, DROPOUT];
