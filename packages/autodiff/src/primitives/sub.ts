import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import { toValues, type Operand } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, NUMERIC } from "../rules/type-rules.js";
import { neg } from "./neg.js";

/** `sub(a, b)`: elementwise difference, broadcasting. */
export const subP = definePrimitive<NoParams>("sub", broadcastingType(NUMERIC));

/**
 * Elementwise `a - b` with NumPy broadcasting.
 *
 * @example
 * ```ts
 * const residual = sub(prediction, target);
 * ```
 */
export function sub(a: Operand, b: Operand): Value {
  return bind(subP, toValues("sub", [a, b]), {});
}

export const subRules: PrimitiveRules<NoParams> = {
  jvp: (_, [ta, tb]) => (ta === null ? (tb === null ? null : neg(tb)) : tb === null ? ta : sub(ta, tb)),
  transpose: (cotangent, _, [linearA, linearB]) => [linearA ? cotangent : null, linearB ? neg(cotangent) : null],
  batch: elementwiseBatch(subP),
  lower: lowerTo("Sub"),
};
