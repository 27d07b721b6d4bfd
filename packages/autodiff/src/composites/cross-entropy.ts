import type { Value } from "../core/value.js";
import { mul } from "../primitives/mul.js";
import { neg } from "../primitives/neg.js";
import { oneHot } from "../primitives/one-hot.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { mean } from "./mean.js";
import { logSoftmax } from "./softmax.js";

/**
 * The entries of `scores` (`[N, C]`) at the class indices `labels` (int64
 * `[N]`): `scores[n, labels[n]]`, as a product with one-hot rows.
 *
 * @example
 * ```ts
 * const picked = pickClasses(logSoftmax(logits, 1), labels);   // [N]
 * ```
 */
export function pickClasses(scores: Value, labels: Value): Value {
  const classes = scores.shape[scores.rank - 1] as number;
  return reduceSum(mul(scores, oneHot(labels, classes, scores.dtype)), [-1]);
}

/**
 * Cross-entropy of `logits` (`[N, C]`) against class indices `labels`
 * (int64 `[N]`), each example's `-log softmax(logits)[label]`, averaged
 * (`"mean"`, PyTorch's default) or summed over the batch.
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
