import { isFloat, type FloatDType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { groupsOf, windowGeometry, windowGrid, type Conv2dOptions, type WindowGeometry } from "./conv-geometry.js";
import { gemmInto, type FloatArray } from "./gemm-into.js";
import { foldInto, unfoldInto } from "./unfold.js";

export type { Conv2dOptions } from "./conv-geometry.js";
export { fold, unfold, type UnfoldOptions } from "./unfold.js";

/** Options of {@link convTranspose2d}: a convolution's options plus extra rows/columns at the bottom/right. */
export interface ConvTranspose2dOptions extends Conv2dOptions {
  /** Added to the output height and width; each must be smaller than the stride or the dilation (as in PyTorch). Default `[0, 0]`. */
  outputPadding?: readonly [number, number];
}

function assertOperands(what: string, x: Tensor, weight: Tensor, bias: Tensor | undefined): void {
  for (const [name, t] of [["x", x], ["weight", weight], ["bias", bias]] as const) {
    if (t === undefined) continue;
    if (!isFloat(t.dtype)) throw new DTypeError(`${what}: argument ${name}: expected dtype float32 or float64, got ${t.dtype}`);
    if (t.dtype !== x.dtype) throw new DTypeError(`${what}: argument ${name} is ${t.dtype} but x is ${x.dtype}`);
  }
  if (x.ndim !== 4) throw new ShapeError(`${what}: argument x must be [N, C, H, W], got shape ${formatShape(x.shape)}`);
  if (weight.ndim !== 4) throw new ShapeError(`${what}: argument weight must be 4-D, got shape ${formatShape(weight.shape)}`);
}

function assertBias(what: string, bias: Tensor | undefined, channels: number): void {
  if (bias !== undefined && (bias.ndim !== 1 || bias.shape[0] !== channels)) {
    throw new ShapeError(`${what}: argument bias must have shape [${channels}], got ${formatShape(bias.shape)}`);
  }
}

/** out[n, c, :] += bias[c] over `planeSize` positions per channel. */
function addBias(out: FloatArray, bias: Tensor | undefined, batch: number, channels: number, planeSize: number): void {
  if (bias === undefined) return;
  const b = bias.data as FloatArray;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const start = (n * channels + c) * planeSize;
      const v = b[c];
      for (let i = start; i < start + planeSize; i++) out[i] += v;
    }
  }
}

/** A 1 x 1 window with unit stride and no padding reads the image itself as its columns. */
function isPointwise(g: WindowGeometry): boolean {
  return g.kernelH === 1 && g.kernelW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop + g.padLeft + g.padBottom + g.padRight === 0;
}

/**
 * 2-D cross-correlation, NCHW (PyTorch `F.conv2d`, ONNX Conv): `x [N, C_in, H, W]`,
 * `weight [C_out, C_in / groups, kH, kW]`, optional `bias [C_out]`, to
 * `[N, C_out, outH, outW]` with
 * `outH = floor((H + padTop + padBottom - dilationH * (kH - 1) - 1) / strideH) + 1`.
 *
 * Computed per sample and group as the weight matrix times the unfolded
 * input (im2col + the blocked {@link gemmInto}).
 *
 * @example
 * ```ts
 * const x = arange(9).reshape([1, 1, 3, 3]);
 * const w = ones([1, 1, 2, 2]);
 * conv2d(x, w).toNested(); // [[[[8, 12], [20, 24]]]]
 * conv2d(x, w, undefined, { padding: [1, 1, 0, 0], stride: [2, 2] }).shape; // [1, 1, 2, 2]
 * ```
 */
export function conv2d<D extends FloatDType>(x: Tensor<D>, weight: Tensor<D>, bias?: Tensor<D>, options: Conv2dOptions = {}): Tensor<D> {
  assertOperands("conv2d", x, weight, bias);
  const groups = groupsOf("conv2d", options.groups);
  const [batch, inChannels, h, w] = x.shape;
  const [outChannels, groupInChannels, kH, kW] = weight.shape;
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ValueError(`conv2d: groups = ${groups} must divide the input channels (${inChannels}) and the output channels (${outChannels})`);
  }
  if (groupInChannels !== inChannels / groups) {
    throw new ShapeError(
      `conv2d: weight ${formatShape(weight.shape)} must be [C_out, C_in / groups = ${inChannels / groups}, kH, kW] for x ${formatShape(x.shape)}`,
    );
  }
  assertBias("conv2d", bias, outChannels);
  const g = windowGeometry("conv2d", [kH, kW], options);
  const [outH, outW] = windowGrid("conv2d", h, w, g);
  const blocks = outH * outW;
  const depth = groupInChannels * kH * kW; // columns rows per group = the inner dimension of each product
  const groupOut = outChannels / groups;
  const out = new Tensor(x.dtype, [batch, outChannels, outH, outW]);
  const y = out.data as FloatArray;
  const pointwise = isPointwise(g);
  const columns = pointwise ? (x.data as FloatArray) : (new (x.data.constructor as Float64ArrayConstructor)(inChannels * kH * kW * blocks) as FloatArray);
  for (let n = 0; n < batch; n++) {
    const columnsOffset = pointwise ? n * inChannels * blocks : 0;
    if (!pointwise) unfoldInto(x.data as FloatArray, n * inChannels * h * w, inChannels, h, w, g, outH, outW, columns, 0);
    for (let group = 0; group < groups; group++) {
      gemmInto(
        groupOut, blocks, depth,
        weight.data as FloatArray, group * groupOut * depth, depth, 1,
        columns, columnsOffset + group * depth * blocks, blocks, 1,
        y, (n * outChannels + group * groupOut) * blocks, blocks,
      );
    }
  }
  addBias(y, bias, batch, outChannels, blocks);
  return out;
}

/**
 * Transposed 2-D convolution, NCHW (PyTorch `F.conv_transpose2d`, ONNX
 * ConvTranspose): `x [N, C_in, H, W]`, `weight [C_in, C_out / groups, kH, kW]`,
 * optional `bias [C_out]`, to `[N, C_out, outH, outW]` with
 * `outH = (H - 1) * strideH - padTop - padBottom + dilationH * (kH - 1) + outputPaddingH + 1`.
 *
 * Without bias it is the adjoint of {@link conv2d} with the same weight and
 * options with respect to conv2d's input: `<conv2d(u, w), v> = <u, convTranspose2d(v, w)>`
 * when `outputPadding` restores u's size. Computed per sample and group as
 * the transposed weight matrix times the input, then folded (gemm + col2im).
 *
 * @example
 * ```ts
 * const x = ones([1, 1, 2, 2]);
 * convTranspose2d(x, ones([1, 1, 2, 2])).toNested();
 * // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
 * ```
 */
export function convTranspose2d<D extends FloatDType>(
  x: Tensor<D>,
  weight: Tensor<D>,
  bias?: Tensor<D>,
  options: ConvTranspose2dOptions = {},
): Tensor<D> {
  assertOperands("convTranspose2d", x, weight, bias);
  const groups = groupsOf("convTranspose2d", options.groups);
  const [batch, inChannels, h, w] = x.shape;
  const [weightIn, groupOut, kH, kW] = weight.shape;
  if (inChannels % groups !== 0) {
    throw new ValueError(`convTranspose2d: groups = ${groups} must divide the input channels (${inChannels})`);
  }
  if (weightIn !== inChannels) {
    throw new ShapeError(`convTranspose2d: weight ${formatShape(weight.shape)} must be [C_in = ${inChannels}, C_out / groups, kH, kW] for x ${formatShape(x.shape)}`);
  }
  const outChannels = groupOut * groups;
  assertBias("convTranspose2d", bias, outChannels);
  const g = windowGeometry("convTranspose2d", [kH, kW], options);
  const [outH, outW] = transposedSize(h, w, g, options.outputPadding);
  const groupIn = inChannels / groups;
  const rows = groupOut * kH * kW; // columns rows per group
  const blocks = h * w;
  const out = new Tensor(x.dtype, [batch, outChannels, outH, outW]);
  const y = out.data as FloatArray;
  const columns = new (x.data.constructor as Float64ArrayConstructor)(outChannels * kH * kW * blocks) as FloatArray;
  for (let n = 0; n < batch; n++) {
    for (let group = 0; group < groups; group++) {
      // columns_g [rows, H*W] = W_g^T [rows, groupIn] x_g [groupIn, H*W]; W_g is weight rows group*groupIn.., read transposed by strides.
      gemmInto(
        rows, blocks, groupIn,
        weight.data as FloatArray, group * groupIn * rows, 1, rows,
        x.data as FloatArray, (n * inChannels + group * groupIn) * blocks, blocks, 1,
        columns, group * rows * blocks, blocks,
      );
    }
    foldInto(columns, 0, outChannels, outH, outW, g, h, w, y, n * outChannels * outH * outW);
  }
  addBias(y, bias, batch, outChannels, outH * outW);
  return out;
}

/** The output size of a transposed convolution, validating the output padding. */
function transposedSize(h: number, w: number, g: WindowGeometry, outputPadding: readonly [number, number] | undefined): [number, number] {
  const [padH, padW] = outputPadding ?? [0, 0];
  const valid = (p: number, stride: number, dilation: number) => Number.isInteger(p) && p >= 0 && p < Math.max(stride, dilation);
  if (!Array.isArray(outputPadding ?? []) || !valid(padH, g.strideH, g.dilationH) || !valid(padW, g.strideW, g.dilationW)) {
    throw new ValueError(
      `convTranspose2d: outputPadding must be non-negative integers smaller than the stride or the dilation, got ${JSON.stringify(outputPadding)} ` +
        `(stride [${g.strideH}, ${g.strideW}], dilation [${g.dilationH}, ${g.dilationW}])`,
    );
  }
  const outH = (h - 1) * g.strideH - g.padTop - g.padBottom + g.dilationH * (g.kernelH - 1) + padH + 1;
  const outW = (w - 1) * g.strideW - g.padLeft - g.padRight + g.dilationW * (g.kernelW - 1) + padW + 1;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`convTranspose2d: padding leaves an empty output (${outH} x ${outW}) for an input of ${h} x ${w}`);
  }
  return [outH, outW];
}
