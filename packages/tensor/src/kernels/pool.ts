import { isFloat, type FloatDType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { windowGeometry, type WindowGeometry } from "./conv-geometry.js";
import type { FloatArray } from "./gemm-into.js";

/** Options shared by the 2-D pooling kernels; pairs are `[height, width]`. */
interface Pool2dOptionsBase {
  /** Window size. */
  kernelSize: readonly [number, number];
  /** Step between windows; defaults to `kernelSize` as in PyTorch (ONNX's default is 1: pass it explicitly). */
  stride?: readonly [number, number];
  /** Implicit padding `[top, left, bottom, right]` (ONNX `pads` order); each at most half the (dilated) window. Default none. */
  padding?: readonly [number, number, number, number];
  /** Round the output size up instead of down; a last window that would start in the bottom/right padding is dropped (PyTorch's rule). Default false. */
  ceilMode?: boolean;
}

/** Options of {@link maxPool2d}. */
export interface MaxPool2dOptions extends Pool2dOptionsBase {
  /** Spacing between window taps; default `[1, 1]`. */
  dilation?: readonly [number, number];
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends Pool2dOptionsBase {
  /**
   * Divide by the whole window including padding (true) or only by the input
   * elements it covers (false). Default false, as ONNX AveragePool's
   * `count_include_pad = 0`; PyTorch's `avg_pool2d` defaults to true.
   */
  countIncludePad?: boolean;
}

/** The output of {@link maxPool2d}. */
export interface MaxPool2dResult<D extends FloatDType> {
  /** The window maxima, `[N, C, outH, outW]`. */
  values: Tensor<D>;
  /** Where each maximum came from, as `h * W + w` within its own `(n, c)` plane (int64). */
  indices: Tensor<"int64">;
}

/** Window count along one axis, with PyTorch's ceil-mode rule. */
function pooledExtent(size: number, padBefore: number, padAfter: number, kernel: number, dilation: number, stride: number, ceilMode: boolean): number {
  const span = size + padBefore + padAfter - dilation * (kernel - 1) - 1;
  let count = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // In ceil mode the last window must still start inside the input or the leading padding.
  if (ceilMode && (count - 1) * stride >= size + padBefore) count--;
  return count;
}

interface PoolPlan {
  g: WindowGeometry;
  batch: number;
  channels: number;
  h: number;
  w: number;
  outH: number;
  outW: number;
}

function planPool(what: string, x: Tensor, options: Pool2dOptionsBase & { dilation?: readonly [number, number] }): PoolPlan {
  if (!isFloat(x.dtype)) throw new DTypeError(`${what}: argument x: expected dtype float32 or float64, got ${x.dtype}`);
  if (x.ndim !== 4) throw new ShapeError(`${what}: argument x must be [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const g = windowGeometry(what, options.kernelSize, { stride: options.stride ?? options.kernelSize, padding: options.padding, dilation: options.dilation });
  const reachH = g.dilationH * (g.kernelH - 1) + 1;
  const reachW = g.dilationW * (g.kernelW - 1) + 1;
  if (Math.max(g.padTop, g.padBottom) > reachH / 2 || Math.max(g.padLeft, g.padRight) > reachW / 2) {
    throw new ValueError(`${what}: padding [${g.padTop}, ${g.padLeft}, ${g.padBottom}, ${g.padRight}] must be at most half the window ${reachH} x ${reachW}`);
  }
  const [batch, channels, h, w] = x.shape;
  const ceilMode = options.ceilMode ?? false;
  const outH = pooledExtent(h, g.padTop, g.padBottom, g.kernelH, g.dilationH, g.strideH, ceilMode);
  const outW = pooledExtent(w, g.padLeft, g.padRight, g.kernelW, g.dilationW, g.strideW, ceilMode);
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${what}: window ${reachH} x ${reachW} does not fit the padded input ${h + g.padTop + g.padBottom} x ${w + g.padLeft + g.padRight}`);
  }
  return { g, batch, channels, h, w, outH, outW };
}

/**
 * 2-D max pooling, NCHW (PyTorch `F.max_pool2d(return_indices=True)`, ONNX
 * MaxPool with its Indices output). Padding never wins: windows only compare
 * input elements. Ties keep the first maximum in row-major window order; NaN
 * propagates. Indices are flattened per `(n, c)` plane (`h * W + w`) as in
 * PyTorch; ONNX's Indices add `(n * C + c) * H * W`.
 *
 * @example
 * ```ts
 * const x = tensor([[[[1, 2, 5, 3], [4, 0, 1, 1], [0, 0, 2, 7], [9, 0, 6, 1]]]]);
 * const { values, indices } = maxPool2d(x, { kernelSize: [2, 2] });
 * values.toNested();  // [[[[4, 5], [9, 7]]]]
 * indices.toNested(); // [[[[4n, 2n], [12n, 11n]]]]
 * ```
 */
export function maxPool2d<D extends FloatDType>(x: Tensor<D>, options: MaxPool2dOptions): MaxPool2dResult<D> {
  const { g, batch, channels, h, w, outH, outW } = planPool("maxPool2d", x, options);
  const values = new Tensor(x.dtype, [batch, channels, outH, outW]);
  const indices = new Tensor("int64", [batch, channels, outH, outW]);
  const src = x.data as FloatArray;
  const dst = values.data as FloatArray;
  const at = indices.data;
  let o = 0;
  for (let plane = 0; plane < batch * channels; plane++) {
    const base = plane * h * w;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        let best = -Infinity;
        let bestIndex = -1;
        for (let ki = 0; ki < g.kernelH; ki++) {
          const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
          if (ih < 0 || ih >= h) continue;
          for (let kj = 0; kj < g.kernelW; kj++) {
            const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
            if (iw < 0 || iw >= w) continue;
            const v = src[base + ih * w + iw];
            // As PyTorch: a NaN always takes over, so NaN propagates.
            if (v > best || v !== v || bestIndex < 0) {
              best = v;
              bestIndex = ih * w + iw;
            }
          }
        }
        dst[o] = best;
        at[o] = BigInt(bestIndex);
      }
    }
  }
  return { values, indices };
}

/**
 * 2-D average pooling, NCHW (ONNX AveragePool, PyTorch `F.avg_pool2d`). The
 * divisor is the number of input elements in the window, or with
 * `countIncludePad` the window's size clipped to the padded input (so a
 * ceil-mode window hanging past the padding does not count the overhang).
 *
 * @example
 * ```ts
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * avgPool2d(x, { kernelSize: [2, 2] }).toNested(); // [[[[2.5]]]]
 * avgPool2d(x, { kernelSize: [2, 2], stride: [1, 1], padding: [1, 1, 0, 0] }).toNested(); // [[[[1, 1.5], [2, 2.5]]]]
 * ```
 */
export function avgPool2d<D extends FloatDType>(x: Tensor<D>, options: AvgPool2dOptions): Tensor<D> {
  const { g, batch, channels, h, w, outH, outW } = planPool("avgPool2d", x, options);
  const countIncludePad = options.countIncludePad ?? false;
  const out = new Tensor(x.dtype, [batch, channels, outH, outW]);
  const src = x.data as FloatArray;
  const dst = out.data as FloatArray;
  let o = 0;
  for (let plane = 0; plane < batch * channels; plane++) {
    const base = plane * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const top = oh * g.strideH - g.padTop;
      const paddedRows = Math.min(top + g.kernelH, h + g.padBottom) - top;
      const h0 = Math.max(top, 0);
      const h1 = Math.min(top + g.kernelH, h);
      for (let ow = 0; ow < outW; ow++, o++) {
        const left = ow * g.strideW - g.padLeft;
        const paddedCols = Math.min(left + g.kernelW, w + g.padRight) - left;
        const w0 = Math.max(left, 0);
        const w1 = Math.min(left + g.kernelW, w);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += src[base + ih * w + iw];
        const divisor = countIncludePad ? paddedRows * paddedCols : (h1 - h0) * (w1 - w0);
        dst[o] = s / divisor;
      }
    }
  }
  return out;
}

/**
 * Mean over each `(n, c)` plane (ONNX GlobalAveragePool): `[N, C, H, W]` to `[N, C, 1, 1]`.
 *
 * @example
 * ```ts
 * globalAvgPool2d(tensor([[[[1, 2], [3, 4]]]])).toNested(); // [[[[2.5]]]]
 * ```
 */
export function globalAvgPool2d<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  if (!isFloat(x.dtype)) throw new DTypeError(`globalAvgPool2d: argument x: expected dtype float32 or float64, got ${x.dtype}`);
  if (x.ndim !== 4) throw new ShapeError(`globalAvgPool2d: argument x must be [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const [batch, channels, h, w] = x.shape;
  const size = h * w;
  const out = new Tensor(x.dtype, [batch, channels, 1, 1]);
  const src = x.data as FloatArray;
  const dst = out.data as FloatArray;
  for (let plane = 0; plane < batch * channels; plane++) {
    let s = 0;
    for (let i = plane * size; i < (plane + 1) * size; i++) s += src[i];
    dst[plane] = s / size;
  }
  return out;
}
