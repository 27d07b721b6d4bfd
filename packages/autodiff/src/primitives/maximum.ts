import { literal, toValues, type Operand } from "../core/leaves.js";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, FLOAT } from "../rules/type-rules.js";
import { add } from "./add.js";
import { greater } from "./greater.js";
import { less } from "./less.js";
import { mul } from "./mul.js";
import { where } from "./where.js";

/** `maximum(a, b)`: elementwise maximum, broadcasting. */
export const maximumP = definePrimitive<NoParams>("maximum", broadcastingType(FLOAT));

/**
 * Elementwise maximum of `a` and `b`. Where they tie, the derivative is
 * split evenly between them (half of each tangent), the symmetric choice
 * that keeps `maximum(a, b)` and `maximum(b, a)` the same function.
 *
 * @example
 * ```ts
 * const clipped = maximum(x, 0);
 * ```
 */
export function maximum(a: Operand, b: Operand): Value {
  return bind(maximumP, toValues("maximum", [a, b]), {});
}

export const maximumRules: PrimitiveRules<NoParams> = {
  jvp([a, b], [ta, tb]) {
    const zero = literal(0, a.dtype);
    const da = ta ?? zero;
    const db = tb ?? zero;
    return where(greater(a, b), da, where(less(a, b), db, mul(add(da, db), 0.5)));
  },
  batch: elementwiseBatch(maximumP),
  lower: lowerTo("Max"),
};
