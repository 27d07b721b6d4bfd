import { toValues, type Operand } from "../core/leaves.js";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvpZero } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, NUMERIC } from "../rules/type-rules.js";

/** `greater(a, b)`: elementwise `a > b`, a bool result. */
export const greaterP = definePrimitive<NoParams>("greater", broadcastingType(NUMERIC, "bool"));

/**
 * Elementwise `a > b` as a bool tensor, broadcasting. Its derivative is zero.
 *
 * @example
 * ```ts
 * const mask = greater(x, 0);
 * ```
 */
export function greater(a: Operand, b: Operand): Value {
  return bind(greaterP, toValues("greater", [a, b]), {});
}

export const greaterRules: PrimitiveRules<NoParams> = {
  jvp: defJvpZero(),
  batch: elementwiseBatch(greaterP),
  lower: lowerTo("Greater"),
};
