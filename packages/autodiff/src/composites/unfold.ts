/**
 * im2col as a composite: a depthwise convolution with a constant one-hot
 * kernel picks every window element into its own channel, so unfolding gets
 * its derivatives (and fold, its transpose) from `conv2d` with no rule of its own.
 */
import { Tensor, type FloatDType } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { conv2d } from "../primitives/conv2d.js";
import { windowParams, type WindowOptions } from "../primitives/conv-geometry.js";
import { reshape } from "../primitives/reshape.js";

// One kernel literal per (dtype, channels, kernel) so repeated unfolds share nodes.
const kernels = new Map<string, Value>();

/** `[C * kh * kw, 1, kh, kw]`: output channel `c * kh * kw + k` copies window element `k` of channel `c`. */
function selectionKernel(dtype: FloatDType, channels: number, kh: number, kw: number): Value {
  const key = `${dtype}:${channels}:${kh}:${kw}`;
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    const size = kh * kw;
    const weights = new Tensor(dtype, [channels * size, 1, kh, kw]);
    for (let c = 0; c < channels; c++) for (let k = 0; k < size; k++) weights.data[(c * size + k) * size + k] = 1;
    kernel = literal(weights);
    kernels.set(key, kernel);
  }
  return kernel;
}

/**
 * The sliding windows of `x` (`[N, C, H, W]`) as columns, PyTorch's
 * `unfold` / `nn.Unfold`: `[N, C * kh * kw, L]` with `L` windows, channel
 * major. The raw material of KFAC for convolutions.
 *
 * @example
 * ```ts
 * const columns = unfold(images, [3, 3], { padding: 1 });   // [batch, C * 9, H * W]
 * ```
 */
export function unfold(x: Value, kernelSize: readonly [number, number] | readonly number[], options: WindowOptions = {}): Value {
  const [kh, kw] = kernelSize;
  const channels = x.shape[1] as number;
  const windows = conv2d(x, selectionKernel(x.dtype as FloatDType, channels, kh, kw), { ...windowParams("unfold", options), groups: channels });
  const [n, c, oh, ow] = windows.shape;
  return reshape(windows, [n, c, (oh as number) * (ow as number)]);
}
