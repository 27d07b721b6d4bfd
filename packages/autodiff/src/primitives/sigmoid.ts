import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvp } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { FLOAT, unaryType } from "../rules/type-rules.js";
import { mul } from "./mul.js";
import { sub } from "./sub.js";

/** `sigmoid(x)`: elementwise logistic sigmoid `1 / (1 + e^-x)`. */
export const sigmoidP = definePrimitive<NoParams>("sigmoid", unaryType(FLOAT));

/**
 * Elementwise logistic sigmoid `1 / (1 + e^-x)`.
 *
 * @example
 * ```ts
 * const p = sigmoid(logits);
 * ```
 */
export function sigmoid(x: Value): Value {
  return bind(sigmoidP, [x], {});
}

export const sigmoidRules: PrimitiveRules<NoParams> = {
  // d sigmoid(x) = s (1 - s) dx with s = sigmoid(x), the output.
  jvp: defJvp<NoParams>((t, _, __, s) => mul(t, mul(s, sub(1, s)))),
  batch: elementwiseBatch(sigmoidP),
  lower: lowerTo("Sigmoid"),
};
