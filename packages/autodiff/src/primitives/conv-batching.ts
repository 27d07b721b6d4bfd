/**
 * Batching of convolutions: the K copies become K times the groups, so a
 * batch of K convolutions (of K inputs, K weights, or both) is one grouped
 * convolution.
 */
import type { Value } from "../core/value.js";
import { materializeBatch } from "../rules/batch-helpers.js";
import type { BatchRule } from "../rules/rule-types.js";
import type { ConvParams } from "./conv2d.js";
import { reshape } from "./reshape.js";
import { transpose } from "./transpose.js";

type Convolve<P extends ConvParams> = (x: Value, w: Value, params: P) => Value;

/** The batch rule of a convolution-like primitive whose weight is `[C_in_of_op, C_out_of_op / groups, kH, kW]`-shaped per group. */
export function batchConvolution<P extends ConvParams>(convolve: Convolve<P>): BatchRule<P> {
  return ([x, w], [batchedX, batchedW], params, size) => {
    if (!batchedW) {
      // Only the input is batched: fold K into the example axis.
      const [, n, ...rest] = x.shape;
      const y = convolve(reshape(x, [-1, ...rest]), w, params);
      return reshape(y, [size, n, ...y.shape.slice(1)]);
    }
    const xs = materializeBatch(x, batchedX, size); // [K, N, C, H, W]
    const [, n, , h, width] = xs.shape;
    const stackedX = reshape(transpose(xs, [1, 0, 2, 3, 4]), [n, -1, h, width]);
    const [, , wIn, kh, kw] = w.shape;
    const stackedW = reshape(w, [-1, wIn, kh, kw]);
    const y = convolve(stackedX, stackedW, { ...params, groups: params.groups * size });
    const [, , oh, ow] = y.shape;
    return transpose(reshape(y, [n, size, -1, oh, ow]), [1, 0, 2, 3, 4]);
  };
}
