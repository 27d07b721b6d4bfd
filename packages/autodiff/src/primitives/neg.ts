import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defLinear } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { NUMERIC, unaryType } from "../rules/type-rules.js";

/** `neg(x)`: elementwise negation. */
export const negP = definePrimitive<NoParams>("neg", unaryType(NUMERIC));

/**
 * Elementwise `-x`.
 *
 * @example
 * ```ts
 * const y = neg(x);
 * ```
 */
export function neg(x: Value): Value {
  return bind(negP, [x], {});
}

export const negRules: PrimitiveRules<NoParams> = {
  ...defLinear(negP, (cotangent) => [neg(cotangent)]),
  batch: elementwiseBatch(negP),
  lower: lowerTo("Neg"),
};
