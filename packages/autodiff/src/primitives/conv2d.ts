import { dimsMayBeEqual, formatShape, ShapeError, ValueError } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { defBilinear } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, commonDType, FLOAT } from "../rules/type-rules.js";
import { batchConvolution } from "./conv-batching.js";
import { windowAttributes, windowGrid, windowParams, type WindowOptions, type WindowParams } from "./conv-geometry.js";
import { convTranspose2d } from "./conv-transpose2d.js";
import { convWeightGradient } from "./conv-weight-gradient.js";

/** The geometry of a convolution: window params and the group count. */
export interface ConvParams extends WindowParams {
  readonly groups: number;
}

/** Options of {@link conv2d} (PyTorch's `Conv2d` arguments, without `'same'` padding: give the numbers). */
export interface Conv2dOptions extends WindowOptions {
  readonly groups?: number;
}

/** `conv2d(x, weight)`: 2-D cross-correlation, NCHW. */
export const conv2dP = definePrimitive<ConvParams>("conv2d", ([x, w], params) => {
  const dtype = commonDType([x, w]);
  checkDType(dtype, FLOAT, "operands");
  if (w.shape.length !== 4 || !w.shape.every((d) => typeof d === "number")) {
    throw new ShapeError(`weight must be [C_out, C_in / groups, kH, kW] with numeric extents, got ${formatShape(w.shape)}`);
  }
  const [outChannels, groupChannels, kh, kw] = w.shape as number[];
  const [oh, ow] = windowGrid(x.shape, [kh, kw], params, "input");
  if (!dimsMayBeEqual(x.shape[1], groupChannels * params.groups) || outChannels % params.groups !== 0) {
    throw new ShapeError(`input ${formatShape(x.shape)} and weight ${formatShape(w.shape)} do not fit groups = ${params.groups}`);
  }
  return { dtype, shape: [x.shape[0], outChannels, oh, ow] };
});

/** The normalized params of a convolution. */
export function convParams(what: string, options: Conv2dOptions = {}): ConvParams {
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${what} groups: expected a positive integer, got ${groups}`);
  return { ...windowParams(what, options), groups };
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `conv2d`): `x`
 * `[N, C_in, H, W]`, `weight` `[C_out, C_in / groups, kH, kW]`, result
 * `[N, C_out, OH, OW]`. Bilinear in `(x, weight)`: its transposes are
 * {@link convTranspose2d} (for `x`) and a correlation of `x` with the output
 * cotangent (for `weight`). Add a bias with `add(y, reshape(bias, [-1, 1, 1]))`.
 *
 * @example
 * ```ts
 * const y = conv2d(images, weight, { stride: 2, padding: 1 });
 * ```
 */
export function conv2d(x: Value, weight: Value, options: Conv2dOptions = {}): Value {
  return bind(conv2dP, [x, weight], convParams("conv2d", options));
}

export const conv2dRules: PrimitiveRules<ConvParams> = {
  ...defBilinear(
    conv2dP,
    (cotangent, w, params, x) => convTranspose2d(cotangent, w, { ...params, outputSize: [x.shape[2] as number, x.shape[3] as number] }),
    (cotangent, x, params, w) => convWeightGradient(x, cotangent, w.shape as number[], params),
  ),
  batch: batchConvolution((x, w, params) => bind(conv2dP, [x, w], params)),
  lower: (context, [x, w], params) => context.builder.op("Conv", [x, w], { ...windowAttributes(params), group: params.groups }),
};
