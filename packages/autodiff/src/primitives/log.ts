import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvp } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { FLOAT, unaryType } from "../rules/type-rules.js";
import { div } from "./div.js";

/** `log(x)`: elementwise natural logarithm. */
export const logP = definePrimitive<NoParams>("log", unaryType(FLOAT));

/**
 * Elementwise natural logarithm.
 *
 * @example
 * ```ts
 * const logProbability = log(p);
 * ```
 */
export function log(x: Value): Value {
  return bind(logP, [x], {});
}

export const logRules: PrimitiveRules<NoParams> = {
  jvp: defJvp<NoParams>((t, [x]) => div(t, x)),
  batch: elementwiseBatch(logP),
  lower: lowerTo("Log"),
};
