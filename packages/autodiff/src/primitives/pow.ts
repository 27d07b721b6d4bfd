import { ValueError } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvp } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { FLOAT, unaryType } from "../rules/type-rules.js";
import { mul } from "./mul.js";

/** The constant exponent of {@link pow}. */
export interface PowParams {
  readonly exponent: number;
  [key: string]: unknown;
}

/** `pow(x, exponent)`: elementwise power with a constant exponent. */
export const powP = definePrimitive<PowParams>("pow", unaryType(FLOAT));

/**
 * Elementwise `x ** exponent` for a constant exponent (a power of a traced
 * value is `exp(mul(e, log(x)))`).
 *
 * @example
 * ```ts
 * const squared = pow(x, 2);
 * ```
 */
export function pow(x: Value, exponent: number): Value {
  if (!Number.isFinite(exponent)) throw new ValueError(`pow: exponent must be a finite number, got ${exponent}`);
  return bind(powP, [x], { exponent });
}

export const powRules: PrimitiveRules<PowParams> = {
  // d x^p = p x^(p-1) dx
  jvp: defJvp<PowParams>((t, [x], { exponent }) => mul(t, mul(pow(x, exponent - 1), exponent))),
  batch: elementwiseBatch(powP),
  lower: (context, [x], { exponent }) => context.builder.op("Pow", [x, context.scalar(exponent, x.dtype)]),
};

