import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import { toValues, type Operand } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, NUMERIC } from "../rules/type-rules.js";

/** `add(a, b)`: elementwise sum, broadcasting NumPy style. */
export const addP = definePrimitive<NoParams>("add", broadcastingType(NUMERIC));

/**
 * Elementwise `a + b` with NumPy broadcasting; a number takes the other operand's dtype.
 *
 * @example
 * ```ts
 * const y = add(matmul(x, w), b);   // [batch, 3] + [3]
 * ```
 */
export function add(a: Operand, b: Operand): Value {
  return bind(addP, toValues("add", [a, b]), {});
}

export const addRules: PrimitiveRules<NoParams> = {
  jvp: (_, [ta, tb]) => (ta === null ? tb : tb === null ? ta : add(ta, tb)),
  // Each operand receives the whole cotangent; the driver sums it down to the operand's shape.
  transpose: (cotangent, _, linear) => linear.map((l) => (l ? cotangent : null)),
  batch: elementwiseBatch(addP),
  lower: lowerTo("Add"),
};
