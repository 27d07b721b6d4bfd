import { isFloat, ONNX_DATA_TYPE_OF, type DType } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";

/** The target dtype of {@link cast}. */
export interface CastParams {
  readonly dtype: DType;
  [key: string]: unknown;
}

/** `cast(x, dtype)`: elementwise conversion. */
export const castP = definePrimitive<CastParams>("cast", ([x], { dtype }) => ({ dtype, shape: x.shape }));

/**
 * Converts `x` to `dtype` (bool becomes 0/1, floats to integers truncate).
 * Between float dtypes it is linear; otherwise its derivative is zero.
 *
 * @example
 * ```ts
 * const mask = cast(greater(x, 0), "float64");
 * ```
 */
export function cast(x: Value, dtype: DType): Value {
  return x.dtype === dtype ? x : bind(castP, [x], { dtype });
}

export const castRules: PrimitiveRules<CastParams> = {
  jvp: ([x], [t], { dtype }) => (t !== null && isFloat(x.dtype) && isFloat(dtype) ? cast(t, dtype) : null),
  transpose: (cotangent, [x]) => [cast(cotangent, x.dtype)],
  batch: elementwiseBatch(castP),
  lower: (context, [x], { dtype }) => context.builder.op("Cast", [x], { to: ONNX_DATA_TYPE_OF[dtype] }),
};
