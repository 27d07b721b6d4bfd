import { ValueError } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
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
  // d x^p = p x^(p-1) dx; a constant (p = 0) has none, and p = 1 needs no power.
  jvp([x], [t], { exponent }) {
    if (t === null || exponent === 0) return null;
    return mul(t, exponent === 1 ? literal(1, x.dtype) : mul(pow(x, exponent - 1), exponent));
  },
  batch: elementwiseBatch(powP),
  lower: (context, [x], { exponent }) => context.builder.op("Pow", [x, context.scalar(exponent, x.dtype)]),
};

