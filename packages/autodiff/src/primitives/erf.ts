import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvp } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { FLOAT, unaryType } from "../rules/type-rules.js";
import { exp } from "./exp.js";
import { mul } from "./mul.js";
import { neg } from "./neg.js";

/** `erf(x)`: the Gauss error function, elementwise. */
export const erfP = definePrimitive<NoParams>("erf", unaryType(FLOAT));

/**
 * The Gauss error function `erf(x) = 2/sqrt(pi) * int_0^x exp(-t^2) dt`,
 * elementwise (ONNX's Erf); exact GELU is built on it.
 *
 * @example
 * ```ts
 * const cdf = mul(add(erf(div(x, Math.SQRT2)), 1), 0.5);   // the standard normal CDF
 * ```
 */
export function erf(x: Value): Value {
  return bind(erfP, [x], {});
}

export const erfRules: PrimitiveRules<NoParams> = {
  // d erf(x) = 2/sqrt(pi) exp(-x^2) dx.
  jvp: defJvp<NoParams>((t, [x]) => mul(t, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)))),
  batch: elementwiseBatch(erfP),
  lower: lowerTo("Erf"),
};
