/**
 * im2col as a composite: a convolution with a constant one-hot kernel picks
 * every window element into its own channel, so unfolding gets its
 * derivatives (and fold, its transpose) from `conv2d` with no rule of its own.
 * Channels are folded into the batch first (`[N * C, 1, H, W]`), so the
 * convolution is ungrouped: as cheap as a depthwise one, and it avoids ORT
 * WebGPU's wrong results for grouped convolutions with 9 outputs per group
 * (onnxruntime-node 1.30, found by the WebGPU parity test).
 */
import { formatShape, ShapeError, Tensor, type FloatDType } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { conv2d } from "../primitives/conv2d.js";
import { windowParams, type WindowOptions } from "../primitives/conv-geometry.js";
import { reshape } from "../primitives/reshape.js";

// One kernel literal per (dtype, kernel) so repeated unfolds share nodes.
const kernels = new Map<string, Value>();

/** `[kh * kw, 1, kh, kw]`: output channel `k` copies window element `k`. */
function selectionKernel(dtype: FloatDType, kh: number, kw: number): Value {
  const key = `${dtype}:${kh}:${kw}`;
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    const size = kh * kw;
    const weights = new Tensor(dtype, [size, 1, kh, kw]);
    for (let k = 0; k < size; k++) weights.data[k * size + k] = 1;
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
  if (x.rank !== 4) throw new ShapeError(`unfold: expected an [N, C, H, W] operand, got ${formatShape(x.shape)}`);
  const [n, channels, h, w] = x.shape;
  if (typeof channels !== "number") throw new ShapeError(`unfold: the channel extent must be a number, got "${channels}"`);
  const planes = reshape(x, [-1, 1, h, w]);
  const windows = conv2d(planes, selectionKernel(x.dtype as FloatDType, kh, kw), windowParams("unfold", options)); // [N * C, kh * kw, OH, OW]
  const [, , oh, ow] = windows.shape;
  return reshape(windows, [n, channels * kh * kw, (oh as number) * (ow as number)]);
}
