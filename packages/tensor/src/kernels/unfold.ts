import { isFloat, type FloatDType } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import { formatShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { windowGeometry, windowGrid, type Conv2dOptions, type WindowGeometry } from "./conv-geometry.js";
import type { FloatArray } from "./gemm-into.js";

/** Options of {@link unfold} and {@link fold}: a convolution's options without groups. */
export type UnfoldOptions = Omit<Conv2dOptions, "groups">;

/**
 * Writes the columns of one `[channels, height, width]` image: row
 * `(c * kH + ki) * kW + kj`, column `oh * blocksW + ow` holds the input at
 * `(oh * strideH - padTop + ki * dilationH, ow * strideW - padLeft + kj * dilationW)`,
 * or 0 in the padding.
 */
export function unfoldInto(
  x: FloatArray, xOffset: number, channels: number, height: number, width: number,
  g: WindowGeometry, blocksH: number, blocksW: number,
  columns: FloatArray, columnsOffset: number,
): void {
  const blocks = blocksH * blocksW;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++) {
        const row = columnsOffset + ((c * g.kernelH + ki) * g.kernelW + kj) * blocks;
        for (let oh = 0; oh < blocksH; oh++) {
          const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
          const to = row + oh * blocksW;
          if (ih < 0 || ih >= height) {
            columns.fill(0, to, to + blocksW);
            continue;
          }
          const from = xOffset + (c * height + ih) * width;
          for (let ow = 0, iw = kj * g.dilationW - g.padLeft; ow < blocksW; ow++, iw += g.strideW) {
            columns[to + ow] = iw >= 0 && iw < width ? x[from + iw] : 0;
          }
        }
      }
    }
  }
}

/**
 * The adjoint of {@link unfoldInto}: adds every column entry back onto the
 * image position it was read from (entries that fall in the padding are
 * dropped). `image` must be zeroed (or hold what the sums should add to).
 */
export function foldInto(
  columns: FloatArray, columnsOffset: number, channels: number, height: number, width: number,
  g: WindowGeometry, blocksH: number, blocksW: number,
  image: FloatArray, imageOffset: number,
): void {
  const blocks = blocksH * blocksW;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < g.kernelH; ki++) {
      for (let kj = 0; kj < g.kernelW; kj++) {
        const row = columnsOffset + ((c * g.kernelH + ki) * g.kernelW + kj) * blocks;
        for (let oh = 0; oh < blocksH; oh++) {
          const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
          if (ih < 0 || ih >= height) continue;
          const from = row + oh * blocksW;
          const to = imageOffset + (c * height + ih) * width;
          for (let ow = 0, iw = kj * g.dilationW - g.padLeft; ow < blocksW; ow++, iw += g.strideW) {
            if (iw >= 0 && iw < width) image[to + iw] += columns[from + ow];
          }
        }
      }
    }
  }
}

function assertFloat(what: string, name: string, t: Tensor): void {
  if (!isFloat(t.dtype)) throw new DTypeError(`${what}: argument ${name}: expected dtype float32 or float64, got ${t.dtype}`);
}

/**
 * Extracts sliding windows (PyTorch `F.unfold`, im2col): `x [N, C, H, W]` to
 * `[N, C * kH * kW, L]`, where row `(c, ki, kj)` (c slowest) and column `l`
 * (output rows, then columns) hold the input under kernel tap `(ki, kj)` of
 * window `l`, zero in the padding. `L = outH * outW` with
 * `outH = floor((H + padTop + padBottom - dilationH * (kH - 1) - 1) / strideH) + 1`.
 *
 * @example
 * ```ts
 * const x = arange(9).reshape([1, 1, 3, 3]);
 * unfold(x, [2, 2]).toNested(); // [[[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]]
 * ```
 */
export function unfold<D extends FloatDType>(x: Tensor<D>, kernelSize: readonly [number, number], options: UnfoldOptions = {}): Tensor<D> {
  assertFloat("unfold", "x", x);
  if (x.ndim !== 4) throw new ShapeError(`unfold: argument x must be [N, C, H, W], got shape ${formatShape(x.shape)}`);
  const g = windowGeometry("unfold", kernelSize, options);
  const [n, c, h, w] = x.shape;
  const [outH, outW] = windowGrid("unfold", h, w, g);
  const rows = c * g.kernelH * g.kernelW;
  const out = new Tensor(x.dtype, [n, rows, outH * outW]);
  for (let s = 0; s < n; s++) {
    unfoldInto(x.data as FloatArray, s * c * h * w, c, h, w, g, outH, outW, out.data as FloatArray, s * rows * outH * outW);
  }
  return out;
}

/**
 * Sums sliding windows back into images (PyTorch `F.fold`, col2im), the adjoint
 * of {@link unfold}: `columns [N, C * kH * kW, L]` to `[N, C, H, W]` with
 * `[H, W] = outputSize`; entries of overlapping windows add up, entries in the
 * padding are dropped. `L` must equal the number of windows that fit.
 *
 * @example
 * ```ts
 * // Each position of a 3 x 3 image is covered by this many 2 x 2 windows:
 * fold(ones([1, 4, 4]), [3, 3], [2, 2]).toNested(); // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
 * ```
 */
export function fold<D extends FloatDType>(
  columns: Tensor<D>,
  outputSize: readonly [number, number],
  kernelSize: readonly [number, number],
  options: UnfoldOptions = {},
): Tensor<D> {
  assertFloat("fold", "columns", columns);
  if (columns.ndim !== 3) throw new ShapeError(`fold: argument columns must be [N, C * kH * kW, L], got shape ${formatShape(columns.shape)}`);
  const g = windowGeometry("fold", kernelSize, options);
  if (!Array.isArray(outputSize) || outputSize.length !== 2 || !outputSize.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError(`fold: outputSize must be two positive integers, got ${JSON.stringify(outputSize)}`);
  }
  const [h, w] = outputSize;
  const [n, rows, blocks] = columns.shape;
  const taps = g.kernelH * g.kernelW;
  if (rows % taps !== 0) {
    throw new ShapeError(`fold: columns has ${rows} rows, not a multiple of kH * kW = ${taps} (shape ${formatShape(columns.shape)})`);
  }
  const [blocksH, blocksW] = windowGrid("fold", h, w, g);
  if (blocks !== blocksH * blocksW) {
    throw new ShapeError(
      `fold: columns has L = ${blocks} windows but output size [${h}, ${w}] with these options has ${blocksH} x ${blocksW} = ${blocksH * blocksW}`,
    );
  }
  const c = rows / taps;
  const out = new Tensor(columns.dtype, [n, c, h, w]);
  for (let s = 0; s < n; s++) {
    foldInto(columns.data as FloatArray, s * rows * blocks, c, h, w, g, blocksH, blocksW, out.data as FloatArray, s * c * h * w);
  }
  return out;
}
