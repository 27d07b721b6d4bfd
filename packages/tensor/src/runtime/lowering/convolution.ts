/**
 * Conv in float64 for ORT's CPU provider, which has no float64 Conv kernel:
 * im2col (Pad + Gather) followed by one batched MatMul per group, plus bias.
 */
import { GraphError } from "../../errors.js";
import type { Node, ValueType } from "../../graph/ir.js";
import { isStaticShape } from "../../graph/index.js";
import { sizeOf } from "../../shape.js";
import { emitIm2col } from "./im2col.js";
import type { Lowering, NodeEmitter } from "./node-emitter.js";
import { intAttribute, intsAttribute, slidingWindows, type WindowGeometry } from "./window-geometry.js";

/** The static extents of `type` after the first `skip` axes, or a GraphError naming `what`. */
export function staticTail(type: ValueType, skip: number, what: string, context: string): number[] {
  const tail = type.shape.slice(skip);
  if (!isStaticShape(tail)) {
    throw new GraphError(
      `${context}: the lowering that ONNX Runtime needs here takes static extents for ${what}, got [${type.shape.join(", ")}]`,
    );
  }
  return [...tail];
}

/** A convolution to emit: its input, geometry, groups, and the weight as `[groups, Cg * kernel, Mg]`. */
export interface ConvolutionPlan {
  readonly x: string;
  readonly channels: number;
  readonly spatial: readonly number[];
  readonly geometry: WindowGeometry;
  readonly groups: number;
  readonly outChannels: number;
  readonly weightMatrix: string;
  readonly bias?: string;
  readonly output: string;
}

/**
 * Emits a grouped convolution as im2col and MatMul:
 * `[N, C, L, K]` windows -> `[N, g, L, Cg*K]` -> MatMul with `[g, Cg*K, Mg]`
 * -> `[N, g, Mg, L]` -> `[N, M, ...output]`, plus the bias over channels.
 */
export function emitConvolution(emitter: NodeEmitter, plan: ConvolutionPlan): void {
  const { geometry, groups, channels, outChannels } = plan;
  const windows = sizeOf(geometry.output);
  const kernelSize = sizeOf(geometry.kernel);
  const groupChannels = channels / groups;
  const columns = emitIm2col(emitter, plan.x, channels, plan.spatial, geometry);
  const split = emitter.emit("Reshape", [columns, emitter.int64("group_shape", [-1, groups, groupChannels, windows, kernelSize])]);
  const windowsFirst = emitter.emit("Transpose", [split], { perm: [0, 1, 3, 2, 4] });
  const rows = emitter.emit("Reshape", [windowsFirst, emitter.int64("rows_shape", [-1, groups, windows, groupChannels * kernelSize])]);
  const product = emitter.emit("MatMul", [rows, plan.weightMatrix]);
  const channelsFirst = emitter.emit("Transpose", [product], { perm: [0, 1, 3, 2] });
  const outputShape = emitter.int64("output_shape", [-1, outChannels, ...geometry.output]);
  if (plan.bias === undefined) {
    emitter.emit("Reshape", [channelsFirst, outputShape], {}, plan.output);
    return;
  }
  const unbiased = emitter.emit("Reshape", [channelsFirst, outputShape]);
  const biasShape = emitter.int64("bias_shape", [outChannels, ...geometry.output.map(() => 1)]);
  emitter.emit("Add", [unbiased, emitter.emit("Reshape", [plan.bias, biasShape])], {}, plan.output);
}

/** Conv's weight `[M, Cg, ...kernel]` as the `[g, Cg * kernel, Mg]` matrices of {@link emitConvolution}. */
function convWeightMatrix(emitter: NodeEmitter, weight: string, outChannels: number, groups: number, rowLength: number): string {
  const grouped = emitter.emit("Reshape", [weight, emitter.int64("weight_groups", [groups, outChannels / groups, rowLength])]);
  return emitter.emit("Transpose", [grouped], { perm: [0, 2, 1] });
}

/** Conv (any number of spatial axes, groups, strides, dilations, pads or auto_pad, bias). */
export const lowerConv: Lowering = (node: Node, emitter, context) => {
  const [x, weight, bias] = node.inputs;
  const xType = emitter.typeOf(x);
  const [channels, ...spatial] = staticTail(xType, 1, `input "${x}" (all but the batch axis)`, context);
  const [outChannels, , ...kernel] = staticTail(emitter.typeOf(weight), 0, `weight "${weight}"`, context);
  const groups = intAttribute(node, "group", 1);
  const geometry = slidingWindows(node, spatial, intsAttribute(node, "kernel_shape", kernel));
  emitConvolution(emitter, {
    x,
    channels,
    spatial,
    geometry,
    groups,
    outChannels,
    weightMatrix: convWeightMatrix(emitter, weight, outChannels, groups, (channels / groups) * sizeOf(kernel)),
    bias: bias === undefined || bias === "" ? undefined : bias,
    output: node.outputs[0],
  });
};
