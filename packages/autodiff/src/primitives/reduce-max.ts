import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, FLOAT } from "../rules/type-rules.js";
import { cast } from "./cast.js";
import { div } from "./div.js";
import { equal } from "./equal.js";
import { mul } from "./mul.js";
import { reduceSum } from "./reduce-sum.js";
import { normalizeAxes, reductionType, shiftedReduction, type ReductionParams } from "./reduction-axes.js";

/** `reduceMax(x, axes, keepdims)`: maximum over axes. */
export const reduceMaxP = definePrimitive<ReductionParams>("reduceMax", (inputs, params) => {
  checkDType(inputs[0].dtype, FLOAT, "operand");
  return reductionType(inputs, params);
});

/**
 * The maximum of `x` over `axes` (all when left out). Where several entries
 * tie for the maximum, the derivative is their tangents' mean.
 *
 * @example
 * ```ts
 * const largestLogit = reduceMax(logits, [1], true);
 * ```
 */
export function reduceMax(x: Value, axes?: readonly number[], keepdims = false): Value {
  const normalized = normalizeAxes("reduceMax", axes, x.rank);
  if (normalized.length === 0) return x;
  return bind(reduceMaxP, [x], { axes: normalized, keepdims });
}

export const reduceMaxRules: PrimitiveRules<ReductionParams> = {
  jvp([x], [t], { axes, keepdims }) {
    if (t === null) return null;
    const isMax = cast(equal(x, reduceMax(x, axes, true)), x.dtype);
    return div(reduceSum(mul(t, isMax), axes, keepdims), reduceSum(isMax, axes, keepdims));
  },
  batch: ([x], _, params) => bind(reduceMaxP, [x], shiftedReduction(params)),
  lower: (context, [x], { axes, keepdims }) => context.builder.op("ReduceMax", [x], { axes: [...axes], keepdims: keepdims ? 1 : 0 }),
};
