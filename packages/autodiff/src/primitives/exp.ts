import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvp } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { FLOAT, unaryType } from "../rules/type-rules.js";
import { mul } from "./mul.js";

/** `exp(x)`: elementwise exponential `e^x`. */
export const expP = definePrimitive<NoParams>("exp", unaryType(FLOAT));

/**
 * Elementwise exponential `e^x`.
 *
 * @example
 * ```ts
 * const y = exp(x);
 * ```
 */
export function exp(x: Value): Value {
  return bind(expP, [x], {});
}

export const expRules: PrimitiveRules<NoParams> = {
  // d exp(x) = exp(x) dx: reuse the output.
  jvp: defJvp<NoParams>((t, _, __, y) => mul(t, y)),
  batch: elementwiseBatch(expP),
  lower: lowerTo("Exp"),
};
