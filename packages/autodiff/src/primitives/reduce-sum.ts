import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { defLinear } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, NUMERIC } from "../rules/type-rules.js";
import { broadcastTo } from "./broadcast-to.js";
import { normalizeAxes, reducedShape, reductionType, shiftedReduction, type ReductionParams } from "./reduction-axes.js";
import { reshape } from "./reshape.js";

/** `reduceSum(x, axes, keepdims)`: sums over axes. */
export const reduceSumP = definePrimitive<ReductionParams>("reduceSum", (inputs, params) => {
  checkDType(inputs[0].dtype, NUMERIC, "operand");
  return reductionType(inputs, params);
});

/**
 * Sums `x` over `axes` (all axes when left out; negative axes count from the
 * end). With `keepdims` the reduced axes stay as extent 1.
 *
 * @example
 * ```ts
 * const total = reduceSum(x);                 // a scalar
 * const rowSums = reduceSum(x, [1], true);    // [n, 1]
 * ```
 */
export function reduceSum(x: Value, axes?: readonly number[], keepdims = false): Value {
  const normalized = normalizeAxes("reduceSum", axes, x.rank);
  if (normalized.length === 0) return x;
  return bind(reduceSumP, [x], { axes: normalized, keepdims });
}

export const reduceSumRules: PrimitiveRules<ReductionParams> = {
  // The transpose of a sum is a broadcast back over the summed axes.
  ...defLinear(reduceSumP, (cotangent, [x], _, params) => [
    broadcastTo(reshape(cotangent, reducedShape(x.shape, { ...params, keepdims: true })), x.shape),
  ]),
  batch: ([x], _, params) => bind(reduceSumP, [x], shiftedReduction(params)),
  lower: (context, [x], { axes, keepdims }) => context.builder.op("ReduceSum", [x, context.int64(axes)], { keepdims: keepdims ? 1 : 0 }),
};
