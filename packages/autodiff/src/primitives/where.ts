import { broadcastDims, DTypeError } from "@curv/tensor";
import { literal, toValues, type Operand } from "../core/leaves.js";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, commonDType, NUMERIC } from "../rules/type-rules.js";

/** `where(condition, a, b)`: elementwise choice, broadcasting all three. */
export const whereP = definePrimitive<NoParams>("where", ([condition, a, b]) => {
  if (condition.dtype !== "bool") throw new DTypeError(`condition must be bool, got ${condition.dtype}`);
  const dtype = commonDType([a, b]);
  checkDType(dtype, NUMERIC, "operands");
  return { dtype, shape: broadcastDims([condition.shape, a.shape, b.shape]) };
});

/**
 * Elementwise `condition ? a : b` (condition bool), broadcasting all three.
 * Linear in `(a, b)` for a fixed condition.
 *
 * @example
 * ```ts
 * const relu = where(greater(x, 0), x, 0);
 * ```
 */
export function where(condition: Value, a: Operand, b: Operand): Value {
  const [x, y] = toValues("where", [a, b]);
  return bind(whereP, [condition, x, y], {});
}

export const whereRules: PrimitiveRules<NoParams> = {
  jvp([condition, a], [, ta, tb]) {
    if (ta === null && tb === null) return null;
    const zero = literal(0, a.dtype);
    return where(condition, ta ?? zero, tb ?? zero);
  },
  transpose(cotangent, [condition], [linearCondition, linearA, linearB]) {
    if (linearCondition) throw new DTypeError("where: the condition is bool, it cannot be linear");
    const zero = literal(0, cotangent.dtype);
    return [null, linearA ? where(condition, cotangent, zero) : null, linearB ? where(condition, zero, cotangent) : null];
  },
  batch: elementwiseBatch(whereP),
  lower: lowerTo("Where"),
};
