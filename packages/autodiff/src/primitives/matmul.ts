import { broadcastDims, dimsMayBeEqual, formatShape, ShapeError } from "@curv/tensor";
import { bind, definePrimitive, type NoParams } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { defBilinear } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { checkDType, commonDType, FLOAT } from "../rules/type-rules.js";
import { transpose } from "./transpose.js";

/** `matmul(a, b)`: matrix product over the last two axes, leading axes broadcast. */
export const matmulP = definePrimitive<NoParams>("matmul", ([a, b]) => {
  const dtype = commonDType([a, b]);
  checkDType(dtype, FLOAT, "operands");
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new ShapeError(`operands need at least 2 axes (reshape vectors to [1, n] or [n, 1]), got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (!dimsMayBeEqual(k, k2)) throw new ShapeError(`inner extents differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  return { dtype, shape: [...broadcastDims([a.shape.slice(0, -2), b.shape.slice(0, -2)]), m, n] };
});

/**
 * `x` with its last two axes swapped.
 *
 * @example
 * ```ts
 * const gram = matmul(swapLastAxes(a), a);   // a^T a
 * ```
 */
export function swapLastAxes(x: Value): Value {
  const perm = [...x.shape.keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return transpose(x, perm);
}

/**
 * Matrix product of the last two axes (`[..., m, k] @ [..., k, n]`), the
 * leading axes broadcast as in NumPy's `matmul`. Both operands need rank >= 2.
 *
 * @example
 * ```ts
 * const y = matmul(x, transpose(weight, [1, 0]));  // [batch, in] @ [in, out]
 * ```
 */
export function matmul(a: Value, b: Value): Value {
  return bind(matmulP, [a, b], {});
}

export const matmulRules: PrimitiveRules<NoParams> = {
  // ct_a = ct b^T and ct_b = a^T ct; broadcast leading axes are summed by the driver.
  ...defBilinear(matmulP, (cotangent, b) => matmul(cotangent, swapLastAxes(b)), (cotangent, a) => matmul(swapLastAxes(a), cotangent)),
  batch: elementwiseBatch(matmulP),
  lower: lowerTo("MatMul"),
};
