import { toValues, type Operand } from "../core/leaves.js";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvpZero } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, NUMERIC } from "../rules/type-rules.js";

/** `less(a, b)`: elementwise `a < b`, a bool result. */
export const lessP = definePrimitive<NoParams>("less", broadcastingType(NUMERIC, "bool"));

/**
 * Elementwise `a < b` as a bool tensor, broadcasting. Its derivative is zero.
 *
 * @example
 * ```ts
 * const mask = less(x, 0);
 * ```
 */
export function less(a: Operand, b: Operand): Value {
  return bind(lessP, toValues("less", [a, b]), {});
}

export const lessRules: PrimitiveRules<NoParams> = {
  jvp: defJvpZero(),
  batch: elementwiseBatch(lessP),
  lower: lowerTo("Less"),
};
