/**
 * Layer inputs and output gradients in the weight-sharing format
 * `[N, S, D]` (Eschenhagen et al. 2023): every supported layer is then the
 * linear map `output[n, s] = W input[n, s] (+ b)` applied at S shared
 * positions (the middle axes of a Linear layer's input; the output locations
 * of a convolution, whose inputs become unfolded patches as in Grosse &
 * Martens 2016). The reshuffling is traced, so it runs in the program.
 */
import {
  add, concat, matmul, mean, reduceSum, reshape, slice, swapLastAxes, transpose, unfold, zerosLike, type Value,
} from "@curv/autodiff";
import { ShapeError, formatShape } from "@curv/tensor";
import type { ConvolutionGeometry } from "./convolution-geometry.js";
import type { KFACApproximation } from "./kfac-options.js";

/** How a layer maps its input: a Linear layer (no geometry) or a convolution with its geometry. */
export interface LayerMap {
  readonly name: string;
  /** Present for a convolution. */
  readonly convolution?: ConvolutionGeometry;
}

/** The number of shared positions S of `layer` for an input of type `x` (expand format). */
export function sharedPositions(layer: LayerMap, x: Value): number {
  if (layer.convolution !== undefined) return convolutionPatches(layer.convolution, x).shape[1] as number;
  return (x.shape.slice(1, -1) as number[]).reduce((p, d) => p * d, 1);
}

/**
 * The unfolded patches of a convolution's input, `[N, L, c·kh·kw]` with L
 * output locations. With groups, the input channels are first averaged over
 * the groups (curvlinops and SINGD: `b (g c) h w -> b c h w`, mean over g),
 * so one input factor serves every group.
 */
function convolutionPatches(conv: ConvolutionGeometry, x: Value): Value {
  const [n, channels, h, w] = x.shape;
  let grouped = x;
  if (conv.groups > 1) {
    const perGroup = (channels as number) / conv.groups;
    grouped = mean(reshape(x, [n, conv.groups, perGroup, h, w]), [1]);
  }
  const columns = unfold(grouped, conv.kernelSize, { stride: conv.stride, padding: conv.padding, dilation: conv.dilation });
  return swapLastAxes(columns);
}

/** `x` (`[N, S, D]`) with a one appended to every row: `[N, S, D + 1]`, the input of `[W | b]`. */
function appendOnes(x: Value): Value {
  const ones = add(zerosLike(slice(x, [[2, 0, 1]])), 1);
  return concat([x, ones], 2);
}

/**
 * A layer's input as `[N, S, D]`: expand keeps the S shared positions,
 * reduce averages over them (S = 1). `withOnes` appends the bias column.
 */
export function inputInSharingFormat(layer: LayerMap, x: Value, approximation: KFACApproximation, withOnes: boolean): Value {
  let rows: Value;
  if (layer.convolution !== undefined) {
    rows = convolutionPatches(layer.convolution, x);
  } else {
    if (x.rank < 2) throw new ShapeError(`KFAC: Linear "${layer.name}" needs a batched input [N, ..., features], got ${formatShape(x.shape)}`);
    rows = reshape(x, [x.shape[0], -1, x.shape[x.rank - 1]]);
  }
  if (approximation === "reduce") rows = mean(rows, [1], true);
  return withOnes ? appendOnes(rows) : rows;
}

/**
 * Gradients at a layer's output for K seeds, `[K, N, ...]`, as
 * `[K, N, S, d_out]`: a convolution's channel axis moves last; reduce sums
 * over the shared positions (S = 1).
 */
export function outputGradientInSharingFormat(layer: LayerMap, g: Value, approximation: KFACApproximation): Value {
  let rows: Value;
  if (layer.convolution !== undefined) {
    const [k, n, c, oh, ow] = g.shape;
    rows = reshape(transpose(g, [0, 1, 3, 4, 2]), [k, n, (oh as number) * (ow as number), c]);
  } else {
    rows = reshape(g, [g.shape[0], g.shape[1], -1, g.shape[g.rank - 1]]);
  }
  return approximation === "reduce" ? reduceSum(rows, [2], true) : rows;
}

/** `Σ_rows r rᵀ` of `rows` `[..., D]` flattened to `[-1, D]`: the un-normalized second moment. */
export function secondMoment(rows: Value): Value {
  const flat = reshape(rows, [-1, rows.shape[rows.rank - 1]]);
  return matmul(swapLastAxes(flat), flat);
}
