import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { exp } from "../primitives/exp.js";
import { log } from "../primitives/log.js";
import { neg } from "../primitives/neg.js";
import { abs, relu } from "./relu.js";

/**
 * `log(1 + e^x)`, computed stably as `relu(x) + log(1 + e^-|x|)` so neither
 * branch overflows (and no masked branch can put a NaN into a gradient).
 * Far below zero (x < -37 in float64) the result underflows to 0 rather than
 * `e^x`: an absolute error below one ulp of 1.
 *
 * @example
 * ```ts
 * const positive = softplus(raw);
 * ```
 */
export function softplus(x: Value): Value {
  return add(relu(x), log(add(exp(neg(abs(x))), 1)));
}
