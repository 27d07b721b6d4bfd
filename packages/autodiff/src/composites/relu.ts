import type { Value } from "../core/value.js";
import { greater } from "../primitives/greater.js";
import { neg } from "../primitives/neg.js";
import { where } from "../primitives/where.js";

/**
 * `max(x, 0)` as a selection, so the derivative at 0 is 0 (PyTorch's
 * convention) rather than a split between the two branches.
 *
 * @example
 * ```ts
 * const hidden = relu(add(matmul(x, w), b));
 * ```
 */
export function relu(x: Value): Value {
  return where(greater(x, 0), x, 0);
}

/**
 * `|x|` as a selection (derivative -1 at 0, where either sign is a subgradient).
 *
 * @example
 * ```ts
 * const l1 = reduceSum(abs(w));
 * ```
 */
export function abs(x: Value): Value {
  return where(greater(x, 0), x, neg(x));
}
