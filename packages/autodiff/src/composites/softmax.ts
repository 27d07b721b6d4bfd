import type { Value } from "../core/value.js";
import { exp } from "../primitives/exp.js";
import { sub } from "../primitives/sub.js";
import { logSumExp } from "./log-sum-exp.js";

/**
 * `x - logSumExp(x)` along `axis` (default the last): log-probabilities.
 *
 * @example
 * ```ts
 * const logProbabilities = logSoftmax(logits, 1);
 * ```
 */
export function logSoftmax(x: Value, axis = -1): Value {
  return sub(x, logSumExp(x, [axis], true));
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default the last), via {@link logSoftmax}.
 *
 * @example
 * ```ts
 * const probabilities = softmax(logits, 1);
 * ```
 */
export function softmax(x: Value, axis = -1): Value {
  return exp(logSoftmax(x, axis));
}
