import { formatShape, ShapeError } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { transpose } from "../primitives/transpose.js";
import { mul } from "../primitives/mul.js";
import { neg } from "../primitives/neg.js";
import { oneHot } from "../primitives/one-hot.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { mean } from "./mean.js";
import { logSoftmax } from "./softmax.js";

/**
 * The entries of `scores` at the class indices `labels` along the class
 * axis (axis 1, PyTorch's layout: scores `[N, C, ...]`, labels int64
 * `[N, ...]`): `scores[n, labels[n, ...], ...]`, as a product with one-hot
 * vectors. Returns `[N, ...]`.
 *
 * @example
 * ```ts
 * const picked = pickClasses(logSoftmax(logits, 1), labels);   // [N]
 * ```
 */
export function pickClasses(scores: Value, labels: Value): Value {
  const classes = scores.shape[1];
  if (typeof classes !== "number") throw new ShapeError(`pickClasses: the class axis (1) must have a numeric extent, got "${classes}"`);
  if (labels.rank !== scores.rank - 1) {
    throw new ShapeError(`pickClasses: labels ${formatShape(labels.shape)} must have the shape of scores ${formatShape(scores.shape)} without axis 1`);
  }
  // oneHot puts the classes last; move them to axis 1.
  const last = scores.rank - 1;
  const hot = transpose(oneHot(labels, classes, scores.dtype), [0, last, ...Array.from({ length: last - 1 }, (_, i) => i + 1)]);
  return reduceSum(mul(scores, hot), [1]);
}

/**
 * Cross-entropy of `logits` (`[N, C, ...]`, classes on axis 1) against class
 * indices `labels` (int64 `[N, ...]`): each entry's `-log softmax(logits)[label]`,
 * averaged (`"mean"`, PyTorch's default) or summed over all entries.
 *
 * @example
 * ```ts
 * const loss = crossEntropyWithLogits(logits, labels);
 * ```
 */
export function crossEntropyWithLogits(logits: Value, labels: Value, reduction: "mean" | "sum" = "mean"): Value {
  const perExample = neg(pickClasses(logSoftmax(logits, 1), labels));
  return reduction === "mean" ? mean(perExample) : reduceSum(perExample);
}
