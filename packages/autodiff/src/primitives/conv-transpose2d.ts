import { dimsMayBeEqual, formatShape, ShapeError, ValueError } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { defBilinear } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, commonDType, FLOAT } from "../rules/type-rules.js";
import { batchConvolution } from "./conv-batching.js";
import { windowAttributes } from "./conv-geometry.js";
import { conv2d, convParams, type Conv2dOptions, type ConvParams } from "./conv2d.js";
import { convWeightGradient } from "./conv-weight-gradient.js";

/** The params of {@link convTranspose2d}: the convolution it transposes, and that convolution's input size. */
export interface ConvTransposeParams extends ConvParams {
  readonly outputSize: readonly [number, number];
}

/** Options of {@link convTranspose2d}: the forward convolution's, plus the spatial size to produce. */
export interface ConvTranspose2dOptions extends Conv2dOptions {
  /** `[H, W]` of the result; the smallest size the geometry allows when left out. */
  readonly outputSize?: readonly [number, number];
}

/** The extra rows (ONNX `output_padding`) that give the wanted size on one axis. */
function outputPadding(size: number, input: number, kernel: number, params: ConvParams, axis: 0 | 1): number {
  const minimum = params.stride[axis] * (input - 1) + params.dilation[axis] * (kernel - 1) + 1 - params.padding[axis] - params.padding[axis + 2];
  return size - minimum;
}

/** `convTranspose2d(y, weight)`: the transpose of {@link conv2d} with respect to its input. */
export const convTranspose2dP = definePrimitive<ConvTransposeParams>("convTranspose2d", ([y, w], params) => {
  const dtype = commonDType([y, w]);
  checkDType(dtype, FLOAT, "operands");
  if (y.shape.length !== 4 || w.shape.length !== 4 || !w.shape.every((d) => typeof d === "number") || typeof y.shape[2] !== "number" || typeof y.shape[3] !== "number") {
    throw new ShapeError(`expected y [N, C_out, OH, OW] and weight [C_out, C_in / groups, kH, kW] with numeric extents, got ${formatShape(y.shape)} and ${formatShape(w.shape)}`);
  }
  const [outChannels, groupChannels, kh, kw] = w.shape as number[];
  if (!dimsMayBeEqual(y.shape[1], outChannels)) throw new ShapeError(`y has ${y.shape[1]} channels, weight expects ${outChannels}`);
  [0, 1].forEach((axis) => {
    const extra = outputPadding(params.outputSize[axis], y.shape[2 + axis] as number, [kh, kw][axis], params, axis as 0 | 1);
    if (extra < 0 || extra >= Math.max(params.stride[axis], params.dilation[axis])) {
      throw new ShapeError(`output size ${params.outputSize[axis]} on axis ${axis} is not reachable from ${y.shape[2 + axis]} with this geometry`);
    }
  });
  return { dtype, shape: [y.shape[0], groupChannels * params.groups, ...params.outputSize] };
});

/**
 * The transpose of `conv2d(·, weight, options)` (PyTorch's
 * `conv_transpose2d`): `y` `[N, C_out, OH, OW]` and the forward weight
 * `[C_out, C_in / groups, kH, kW]` give `[N, C_in, H, W]`.
 *
 * @example
 * ```ts
 * const upsampled = convTranspose2d(features, weight, { stride: 2, padding: 1, outputSize: [32, 32] });
 * ```
 */
export function convTranspose2d(y: Value, weight: Value, options: ConvTranspose2dOptions = {}): Value {
  const params = convParams("convTranspose2d", options);
  const [kh, kw] = weight.shape.slice(2) as number[];
  const input = y.shape.slice(2) as number[];
  const minimum = [0, 1].map((axis) => outputPadding(0, input[axis], [kh, kw][axis], params, axis as 0 | 1) * -1);
  const outputSize = options.outputSize ?? (minimum as [number, number]);
  if (outputSize.length !== 2 || !outputSize.every((s) => Number.isInteger(s) && s > 0)) {
    throw new ValueError(`convTranspose2d outputSize: expected two positive integers, got ${JSON.stringify(outputSize)}`);
  }
  return bind(convTranspose2dP, [y, weight], { ...params, outputSize: [outputSize[0], outputSize[1]] });
}

/** The forward convolution's params (dropping the output size). */
function forward({ stride, padding, dilation, groups }: ConvTransposeParams): ConvParams {
  return { stride, padding, dilation, groups };
}

export const convTranspose2dRules: PrimitiveRules<ConvTransposeParams> = {
  ...defBilinear(
    convTranspose2dP,
    // <convT(y, w), c> = <y, conv(c, w)>: the transpose in y is the forward convolution.
    (cotangent, w, params) => conv2d(cotangent, w, forward(params)),
    // ... and in w, the weight gradient of that convolution with input c and output cotangent y.
    (cotangent, y, params, w) => convWeightGradient(cotangent, y, w.shape as number[], forward(params)),
  ),
  batch: batchConvolution((y, w, params) => bind(convTranspose2dP, [y, w], params)),
  lower(context, [y, w], params) {
    const [kh, kw] = w.shape.slice(2) as number[];
    const extra = [0, 1].map((axis) => outputPadding(params.outputSize[axis], y.shape[2 + axis] as number, [kh, kw][axis], params, axis as 0 | 1));
    return context.builder.op("ConvTranspose", [y, w], { ...windowAttributes(params), group: params.groups, output_padding: extra });
  },
};
