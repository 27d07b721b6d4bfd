import { GraphError } from "@curv/tensor";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import { toValues, type Operand } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvp } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, NUMERIC } from "../rules/type-rules.js";
import { mul } from "./mul.js";
import { neg } from "./neg.js";

/** `div(a, b)`: elementwise quotient, broadcasting. */
export const divP = definePrimitive<NoParams>("div", broadcastingType(NUMERIC));

/**
 * Elementwise `a / b` with NumPy broadcasting.
 *
 * @example
 * ```ts
 * const mean = div(reduceSum(x, [0]), 4);
 * ```
 */
export function div(a: Operand, b: Operand): Value {
  return bind(divP, toValues("div", [a, b]), {});
}

export const divRules: PrimitiveRules<NoParams> = {
  // d(a/b) = da / b - db * (a/b) / b
  jvp: defJvp<NoParams>(
    (t, [, b]) => div(t, b),
    (t, [, b], _, quotient) => neg(div(mul(t, quotient), b)),
  ),
  // Linear in the numerator only.
  transpose(cotangent, [, b], [linearA, linearB]) {
    if (linearB) throw new GraphError("div: cannot transpose with respect to the denominator (not linear)");
    return [linearA ? div(cotangent, b) : null, null];
  },
  batch: elementwiseBatch(divP),
  lower: lowerTo("Div"),
};
