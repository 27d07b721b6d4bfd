/**
 * GlobalAveragePool in float64 for ORT's CPU provider, which has no float64
 * GlobalAveragePool kernel: the mean over every spatial axis, kept as
 * extent-1 axes.
 */
import type { Lowering } from "./node-emitter.js";

export const lowerGlobalAveragePool: Lowering = (node, emitter) => {
  const x = node.inputs[0];
  const rank = emitter.typeOf(x).shape.length;
  const spatialAxes = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  emitter.emit("ReduceMean", [x], { axes: spatialAxes, keepdims: 1 }, node.outputs[0]);
};
