import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvp } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { FLOAT, unaryType } from "../rules/type-rules.js";
import { div } from "./div.js";
import { mul } from "./mul.js";

/** `sqrt(x)`: elementwise square root. */
export const sqrtP = definePrimitive<NoParams>("sqrt", unaryType(FLOAT));

/**
 * Elementwise square root.
 *
 * @example
 * ```ts
 * const norm = sqrt(reduceSum(mul(x, x), [0]));
 * ```
 */
export function sqrt(x: Value): Value {
  return bind(sqrtP, [x], {});
}

export const sqrtRules: PrimitiveRules<NoParams> = {
  // d sqrt(x) = dx / (2 sqrt(x)): reuse the output.
  jvp: defJvp<NoParams>((t, _, __, y) => div(t, mul(y, 2))),
  batch: elementwiseBatch(sqrtP),
  lower: lowerTo("Sqrt"),
};
