import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import { toValues, type Operand } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defBilinear } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { broadcastingType, NUMERIC } from "../rules/type-rules.js";

/** `mul(a, b)`: elementwise product, broadcasting. */
export const mulP = definePrimitive<NoParams>("mul", broadcastingType(NUMERIC));

/**
 * Elementwise `a * b` with NumPy broadcasting.
 *
 * @example
 * ```ts
 * const scaled = mul(x, 0.5);
 * ```
 */
export function mul(a: Operand, b: Operand): Value {
  return bind(mulP, toValues("mul", [a, b]), {});
}

export const mulRules: PrimitiveRules<NoParams> = {
  ...defBilinear(mulP, (cotangent, b) => mul(cotangent, b), (cotangent, a) => mul(a, cotangent)),
  batch: elementwiseBatch(mulP),
  lower: lowerTo("Mul"),
};
