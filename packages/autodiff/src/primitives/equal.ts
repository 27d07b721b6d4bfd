import { toValues, type Operand } from "../core/leaves.js";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvpZero } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, NUMERIC } from "../rules/type-rules.js";

/** `equal(a, b)`: elementwise `a == b`, a bool result. */
export const equalP = definePrimitive<NoParams>("equal", broadcastingType(["bool", ...NUMERIC], "bool"));

/**
 * Elementwise `a == b` as a bool tensor, broadcasting. Its derivative is zero.
 *
 * @example
 * ```ts
 * const mask = equal(x, 0);
 * ```
 */
export function equal(a: Operand, b: Operand): Value {
  return bind(equalP, toValues("equal", [a, b]), {});
}

export const equalRules: PrimitiveRules<NoParams> = {
  jvp: defJvpZero(),
  batch: elementwiseBatch(equalP),
  lower: lowerTo("Equal"),
};
