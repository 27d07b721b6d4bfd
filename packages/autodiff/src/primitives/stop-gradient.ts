import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvpZero } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";

/** `stopGradient(x)`: the identity, with a zero derivative. */
export const stopGradientP = definePrimitive<NoParams>("stopGradient", ([x]) => x);

/**
 * `x` itself, treated as a constant by differentiation: its tangent and
 * cotangent are zero. Used where a value only steers the computation (the
 * shift of a stable log-sum-exp) or must not be differentiated (targets).
 *
 * @example
 * ```ts
 * const shift = stopGradient(reduceMax(x, [1], true));
 * ```
 */
export function stopGradient(x: Value): Value {
  return bind(stopGradientP, [x], {});
}

export const stopGradientRules: PrimitiveRules<NoParams> = {
  jvp: defJvpZero(),
  batch: elementwiseBatch(stopGradientP),
  lower: lowerTo("Identity"),
};
