import { ShapeError, ValueError } from "@curv/tensor";
import { unfold } from "../composites/unfold.js";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, FLOAT } from "../rules/type-rules.js";
import { cast } from "./cast.js";
import { windowAttributes, windowGrid, windowParams, type WindowOptions, type WindowParams } from "./conv-geometry.js";
import { div } from "./div.js";
import { equal } from "./equal.js";
import { mul } from "./mul.js";
import { pad } from "./pad.js";
import { reduceSum } from "./reduce-sum.js";
import { reshape } from "./reshape.js";

/** The window of a max pool. */
export interface PoolParams extends WindowParams {
  readonly kernel: readonly [number, number];
}

/** Options of {@link maxPool2d} (PyTorch's `MaxPool2d`; the stride defaults to the kernel size). */
export interface MaxPool2dOptions extends WindowOptions {
  readonly kernelSize: number | readonly [number, number];
}

/** `maxPool2d(x)`: the maximum of every window, NCHW. */
export const maxPool2dP = definePrimitive<PoolParams>("maxPool2d", ([x], params) => {
  checkDType(x.dtype, FLOAT, "operand");
  const [oh, ow] = windowGrid(x.shape, params.kernel, params, "input");
  if (params.padding.some((p, i) => p > Math.floor(params.kernel[i % 2] / 2))) {
    throw new ShapeError(`padding [${params.padding}] exceeds half the kernel [${params.kernel}] (PyTorch's limit)`);
  }
  return { dtype: x.dtype, shape: [x.shape[0], x.shape[1], oh, ow] };
});

/**
 * Max pooling over 2-D windows of `x` (`[N, C, H, W]`); padding never wins
 * the maximum. The derivative flows to the window's maximal entry (the
 * argmax), split evenly where several entries tie.
 *
 * @example
 * ```ts
 * const pooled = maxPool2d(features, { kernelSize: 2 });
 * ```
 */
export function maxPool2d(x: Value, options: MaxPool2dOptions): Value {
  const kernel = typeof options.kernelSize === "number" ? [options.kernelSize, options.kernelSize] : options.kernelSize;
  if (kernel.length !== 2 || !kernel.every((k) => Number.isInteger(k) && k >= 1)) {
    throw new ValueError(`maxPool2d kernelSize: expected positive integers, got ${JSON.stringify(options.kernelSize)}`);
  }
  const params = windowParams("maxPool2d", { stride: [kernel[0], kernel[1]], ...options });
  return bind(maxPool2dP, [x], { ...params, kernel: [kernel[0], kernel[1]] });
}

/** The windows of `x` as `[N, C, kh * kw, L]`. */
function windows(x: Value, kernel: readonly [number, number], geometry: WindowParams): Value {
  const [n, c] = x.shape;
  const columns = unfold(x, kernel, geometry);
  return reshape(columns, [n, c, kernel[0] * kernel[1], columns.shape[2]]);
}

/** The most negative finite value of a dtype: padding that never wins a maximum (and, unlike -inf, gives 0 * pad = 0 in the unfolding). */
function lowest(dtype: string): number {
  return dtype === "float32" ? -3.4028234663852886e38 : -Number.MAX_VALUE;
}

export const maxPool2dRules: PrimitiveRules<PoolParams> = {
  jvp([x], [t], params, y) {
    if (t === null) return null;
    const { kernel, padding } = params;
    const [n, c, oh, ow] = y.shape;
    const padded = pad(x, [0, 0, padding[0], padding[1]], [0, 0, padding[2], padding[3]], lowest(x.dtype));
    const candidates = windows(padded, kernel, { ...params, padding: [0, 0, 0, 0] });
    const isMax = cast(equal(candidates, reshape(y, [n, c, 1, (oh as number) * (ow as number)])), x.dtype);
    const selected = div(reduceSum(mul(windows(t, kernel, params), isMax), [2]), reduceSum(isMax, [2]));
    return reshape(selected, y.shape);
  },
  batch([x], _, params, size) {
    const [, n, ...rest] = x.shape;
    const y = bind(maxPool2dP, [reshape(x, [-1, ...rest])], params);
    return reshape(y, [size, n, ...y.shape.slice(1)]);
  },
  lower: (context, [x], params) => context.builder.op("MaxPool", [x], { ...windowAttributes(params), kernel_shape: [...params.kernel] }),
};

