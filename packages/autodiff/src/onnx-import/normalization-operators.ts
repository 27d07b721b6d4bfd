/**
 * Normalizations and reductions: BatchNormalization (inference, with the
 * running statistics as buffers), LayerNormalization, ReduceSum,
 * ReduceMean, ReduceMax, and constant Pad.
 */
import { mean } from "../composites/index.js";
import type { Value } from "../core/value.js";
import { add, div, mul, pad, reduceMax, reduceSum, reshape, sqrt, sub } from "../primitives/index.js";
import { valueInput } from "./elementwise-operators.js";
import { axesOf } from "./layout-operators.js";
import type { NodeContext } from "./node-context.js";
import { knownNumbers } from "./operand.js";
import type { OperatorMapping } from "./operator-mapping.js";

/** Refuses a node whose outputs past the first are used (training statistics, saved mean and variance). */
function onlyFirstOutput(node: NodeContext, what: string): void {
  if (node.node.outputs.slice(1).some((o) => o !== "")) node.unsupported(what);
}

/** `(x - mean) / sqrt(var + eps) * scale + bias` per channel (axis 1), as PyTorch's BatchNorm in eval mode. */
const batchNormalization: OperatorMapping = (inputs, node: NodeContext) => {
  if (node.int("training_mode", 0) !== 0) node.unsupported("BatchNormalization in training mode");
  onlyFirstOutput(node, "BatchNormalization's running-statistics outputs");
  const x = valueInput(inputs, 0, node);
  if (x.rank < 2) node.fail(`the input must be [N, C, ...], got ${x}`);
  const perChannel = (index: number) => reshape(valueInput(inputs, index, node), [-1, ...new Array<number>(x.rank - 2).fill(1)]);
  const [scale, bias, runningMean, runningVar] = [1, 2, 3, 4].map(perChannel);
  const inverseStd = div(scale, sqrt(add(runningVar, node.float("epsilon", 1e-5))));
  return [add(mul(sub(x, runningMean), inverseStd), bias)];
};

/** Normalizes over the axes from `axis` on (PyTorch's LayerNorm over its `normalized_shape`). */
const layerNormalization: OperatorMapping = (inputs, node: NodeContext) => {
  onlyFirstOutput(node, "LayerNormalization's Mean and InvStdDev outputs");
  const x = valueInput(inputs, 0, node);
  const axis = node.int("axis", -1);
  const first = axis < 0 ? axis + x.rank : axis;
  const axes = Array.from({ length: x.rank - first }, (_, i) => first + i);
  const centered = sub(x, mean(x, axes, true));
  const variance = mean(mul(centered, centered), axes, true);
  const normalized = div(centered, sqrt(add(variance, node.float("epsilon", 1e-5))));
  const scaled = mul(normalized, valueInput(inputs, 1, node));
  return [inputs[2] === undefined ? scaled : add(scaled, valueInput(inputs, 2, node))];
};

/** A reduction with `axes` as input or attribute; no axes means all (unless `noop_with_empty_axes`). */
function reduction(f: (x: Value, axes: readonly number[], keepdims: boolean) => Value): OperatorMapping {
  return (inputs, node: NodeContext) => {
    const x = valueInput(inputs, 0, node);
    const given = axesOf(inputs, 1, node);
    if ((given === undefined || given.length === 0) && node.int("noop_with_empty_axes", 0) !== 0) return [x];
    const axes = given === undefined || given.length === 0 ? [...x.shape.keys()] : given.map((a) => (a < 0 ? a + x.rank : a));
    return [f(x, axes, node.int("keepdims", 1) !== 0)];
  };
}

const padOperator: OperatorMapping = (inputs, node: NodeContext) => {
  if (node.string("mode", "constant") !== "constant") node.unsupported(`Pad in mode "${node.string("mode", "constant")}"`);
  const x = valueInput(inputs, 0, node);
  const pads = node.opset < 11 ? node.ints("pads") ?? [] : knownNumbers(inputs[1], `${node.description}: pads`);
  const value = inputs[2] === undefined ? node.float("value", 0) : knownNumbers(inputs[2], `${node.description}: constant_value`)[0] ?? 0;
  const axes = axesOf(inputs, 3, node)?.map((a) => (a < 0 ? a + x.rank : a)) ?? [...x.shape.keys()];
  if (pads.length !== 2 * axes.length) node.fail(`pads must have ${2 * axes.length} entries, got [${pads}]`);
  if (pads.some((p) => p < 0)) node.unsupported(`Pad with negative pads [${pads}]`);
  const before = x.shape.map(() => 0);
  const after = x.shape.map(() => 0);
  axes.forEach((axis, i) => {
    before[axis] = pads[i];
    after[axis] = pads[i + axes.length];
  });
  return [pad(x, before, after, value)];
};

export const NORMALIZATION_OPERATORS: Readonly<Record<string, OperatorMapping>> = {
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  ReduceSum: reduction(reduceSum),
  ReduceMean: reduction(mean),
  ReduceMax: reduction(reduceMax),
  Pad: padOperator,
};
