import type { Value } from "../core/value.js";
import { mul } from "../primitives/mul.js";
import { sigmoid } from "../primitives/sigmoid.js";
import { sub } from "../primitives/sub.js";

/**
 * Hyperbolic tangent, `tanh(x) = 2 sigmoid(2x) - 1`: a composite, so its
 * derivatives come from `sigmoid`'s rule.
 *
 * @example
 * ```ts
 * const h = tanh(preactivation);
 * ```
 */
export function tanh(x: Value): Value {
  return sub(mul(sigmoid(mul(x, 2)), 2), 1);
}
