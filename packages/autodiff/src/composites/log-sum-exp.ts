import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { exp } from "../primitives/exp.js";
import { log } from "../primitives/log.js";
import { reduceMax } from "../primitives/reduce-max.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { normalizeAxes, reducedShape } from "../primitives/reduction-axes.js";
import { reshape } from "../primitives/reshape.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { sub } from "../primitives/sub.js";

/**
 * `log(sum(exp(x)))` over `axes` (all when left out), shifted by the
 * maximum so it cannot overflow. The shift cancels mathematically, so it is
 * held constant (`stopGradient`): derivatives are the softmax, exactly.
 *
 * @example
 * ```ts
 * const normalizer = logSumExp(logits, [1], true);   // [batch, 1]
 * ```
 */
export function logSumExp(x: Value, axes?: readonly number[], keepdims = false): Value {
  const normalized = normalizeAxes("logSumExp", axes, x.rank);
  const shift = stopGradient(reduceMax(x, normalized, true));
  const kept = add(log(reduceSum(exp(sub(x, shift)), normalized, true)), shift);
  return keepdims ? kept : reshape(kept, reducedShape(x.shape, { axes: normalized, keepdims: false }));
}
