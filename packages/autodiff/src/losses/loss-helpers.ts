/**
 * Shared pieces of the losses: reductions, the batch and datum factors,
 * moving the class axis, and diagonal blocks.
 */
import { DTypeError, eye, formatShape, isFloat, ShapeError, ValueError, type Dim, type FloatDType } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { mean } from "../composites/mean.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { div } from "../primitives/div.js";
import { mul } from "../primitives/mul.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { reshape } from "../primitives/reshape.js";
import { transpose } from "../primitives/transpose.js";
import type { Reduction } from "./loss.js";

/** Checks the reduction option. */
export function checkReduction(kind: string, reduction: Reduction): Reduction {
  if (reduction !== "mean" && reduction !== "sum") throw new ValueError(`${kind}: reduction must be "mean" or "sum", got ${JSON.stringify(reduction)}`);
  return reduction;
}

/** Checks that the output is a float tensor with a batch axis. */
export function checkOutput(kind: string, output: Value, minRank = 1): void {
  if (!isFloat(output.dtype)) throw new DTypeError(`${kind}: the output must be float32 or float64, got ${output.dtype}`);
  if (output.rank < minRank) throw new ShapeError(`${kind}: the output needs at least ${minRank} axes ([N, ...]), got ${formatShape(output.shape)}`);
  staticSize(kind, output.shape.slice(1));
}

/** Checks that `target` has the output's shape and dtype. */
export function checkSameType(kind: string, output: Value, target: Value): void {
  const sameShape = target.rank === output.rank && target.shape.every((d, i) => d === output.shape[i]);
  if (!sameShape) throw new ShapeError(`${kind}: the target must have the output's shape ${formatShape(output.shape)}, got ${formatShape(target.shape)}`);
  if (target.dtype !== output.dtype) throw new DTypeError(`${kind}: the target must be ${output.dtype} like the output, got ${target.dtype}`);
}

/** The mean (PyTorch's `"mean"`: over every element) or the sum of per-element losses. */
export function reduce(perElement: Value, reduction: Reduction): Value {
  return reduction === "mean" ? mean(perElement) : reduceSum(perElement);
}

/** `1/N` for `"mean"` (N the extent of axis 0, symbolic or not), 1 for `"sum"`. */
export function batchScaleOf(output: Value, reduction: Reduction): Value {
  const one = literal(1, output.dtype);
  if (reduction === "sum") return one;
  const n = output.shape[0];
  if (typeof n === "number") return literal(1 / n, output.dtype);
  // A symbolic batch: count it in the program.
  return div(one, reduceSum(broadcastTo(one, [n])));
}

/** The product of the numeric extents of `dims` (throws on a symbolic one). */
export function staticSize(kind: string, dims: readonly Dim[]): number {
  return dims.reduce<number>((size, d) => {
    if (typeof d !== "number") throw new ShapeError(`${kind}: only the batch axis may be symbolic, got extent "${d}"`);
    return size * d;
  }, 1);
}

/** `x` with axis 1 moved last (`[N, C, d...]` to `[N, d..., C]`). */
export function classAxisLast(x: Value): Value {
  if (x.rank <= 2) return x;
  return transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
}

/** The inverse of {@link classAxisLast} for a value with `leading` extra axes in front (`[M, N, d..., C]` to `[M, N, C, d...]`). */
export function classAxisBack(x: Value, leading: number): Value {
  const rank = x.rank - leading;
  if (rank <= 2) return x;
  const front = Array.from({ length: leading + 1 }, (_, i) => i);
  const spatial = Array.from({ length: rank - 2 }, (_, i) => leading + 1 + i);
  return transpose(x, [...front, x.rank - 1, ...spatial]);
}

/** `[...rows, C, C]` blocks `diag(d)` of `d` `[...rows, C]`, times `scale`. */
export function diagonalBlocks(d: Value, scale: number): Value {
  const classes = d.shape[d.rank - 1] as number;
  const identity = literal(eye(classes, classes, d.dtype as FloatDType));
  return mul(mul(identity, reshape(d, [...d.shape.slice(0, -1), 1, classes])), scale);
}

/** `[...rows, C]` as rows of a 1-D output (one class), for MSE and BCE. */
export function withClassAxis(x: Value): Value {
  return x.rank === 1 ? reshape(x, [x.shape[0], 1]) : x;
}

/** Checks a sample count. */
export function checkSamples(samples: number): number {
  if (!Number.isInteger(samples) || samples < 1) throw new ValueError(`the number of Monte-Carlo samples must be a positive integer, got ${samples}`);
  return samples;
}

/** Checks that `noise` is `[M, ...shape]`. */
export function checkNoise(kind: string, noise: Value, shape: readonly (number | string)[]): void {
  const fits = noise.rank === shape.length + 1 && shape.every((d, i) => d === noise.shape[i + 1]);
  if (!fits) throw new ShapeError(`${kind}: the noise must be [M, ${shape.join(", ")}], got ${formatShape(noise.shape)}`);
}
