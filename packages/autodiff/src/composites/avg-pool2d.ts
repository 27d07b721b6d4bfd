import { full, ValueError, type FloatDType } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { conv2d } from "../primitives/conv2d.js";
import type { WindowOptions } from "../primitives/conv-geometry.js";

/** Options of {@link avgPool2d} (PyTorch's `AvgPool2d` with `count_include_pad=True`; stride defaults to the kernel). */
export interface AvgPool2dOptions extends WindowOptions {
  readonly kernelSize: number | readonly [number, number];
}

/**
 * Average pooling over 2-D windows of `x` (`[N, C, H, W]`), padding counted
 * as zeros. A depthwise convolution with a constant `1 / (kh kw)` kernel, so
 * it is linear and gets its transpose from `conv2d`.
 *
 * @example
 * ```ts
 * const pooled = avgPool2d(features, { kernelSize: 2 });
 * ```
 */
export function avgPool2d(x: Value, options: AvgPool2dOptions): Value {
  const [kh, kw] = typeof options.kernelSize === "number" ? [options.kernelSize, options.kernelSize] : options.kernelSize;
  if (![kh, kw].every((k) => Number.isInteger(k) && k >= 1)) throw new ValueError(`avgPool2d kernelSize: expected positive integers, got ${JSON.stringify(options.kernelSize)}`);
  const channels = x.shape[1];
  if (typeof channels !== "number") throw new ValueError(`avgPool2d: the channel extent must be a number, got "${channels}"`);
  const kernel = literal(full([channels, 1, kh, kw], 1 / (kh * kw), x.dtype as FloatDType));
  return conv2d(x, kernel, { stride: [kh, kw], ...options, groups: channels });
}
