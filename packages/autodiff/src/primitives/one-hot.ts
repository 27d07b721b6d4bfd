import { DTypeError, tensor, ValueError, type DType } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defJvpZero } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, FLOAT } from "../rules/type-rules.js";

/** The class count and result dtype of {@link oneHot}. */
export interface OneHotParams {
  readonly depth: number;
  readonly dtype: DType;
  [key: string]: unknown;
}

/** `oneHot(indices, depth, dtype)`: class indices as one-hot rows. */
export const oneHotP = definePrimitive<OneHotParams>("oneHot", ([indices], { depth, dtype }) => {
  if (indices.dtype !== "int64" && indices.dtype !== "int32") throw new DTypeError(`indices must be int64 or int32, got ${indices.dtype}`);
  checkDType(dtype, FLOAT, "result");
  return { dtype, shape: [...indices.shape, depth] };
});

/**
 * One-hot encoding along a new last axis: entry `[..., c]` is 1 where
 * `indices[...] == c` (for `0 <= c < depth`), else 0. The picking of class
 * scores, `reduceSum(mul(scores, oneHot(labels, C, dtype)), [-1])`, is built
 * on it. Indices are data: the derivative is zero.
 *
 * @example
 * ```ts
 * const targets = oneHot(labels, 10, "float32");   // labels: int64 [batch]
 * ```
 */
export function oneHot(indices: Value, depth: number, dtype: DType = "float32"): Value {
  if (!Number.isInteger(depth) || depth < 1) throw new ValueError(`oneHot: depth must be a positive integer, got ${depth}`);
  return bind(oneHotP, [indices], { depth, dtype });
}

export const oneHotRules: PrimitiveRules<OneHotParams> = {
  jvp: defJvpZero(),
  batch: elementwiseBatch(oneHotP),
  lower: (context, [indices], { depth, dtype }) =>
    context.builder.op("OneHot", [indices, context.int64([depth]), context.constant(tensor([0, 1], { dtype }))], { axis: -1 }),
};
