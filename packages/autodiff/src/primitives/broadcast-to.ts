import { dimsMayBeEqual, formatShape, ShapeError, type Dim } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { alignBatched } from "../rules/batch-helpers.js";
import { defLinear } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";

/** The target shape of {@link broadcastTo}. */
export interface BroadcastToParams {
  readonly shape: readonly Dim[];
  [key: string]: unknown;
}

/** `broadcastTo(x, shape)`: NumPy broadcasting made explicit. */
export const broadcastToP = definePrimitive<BroadcastToParams>("broadcastTo", ([x], { shape }) => {
  const lead = shape.length - x.shape.length;
  const fits = lead >= 0 && x.shape.every((d, i) => d === 1 || d === shape[lead + i] || (typeof d !== "number" && dimsMayBeEqual(d, shape[lead + i])));
  if (!fits) throw new ShapeError(`cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  return { dtype: x.dtype, shape };
});

/**
 * `x` repeated along new leading axes and along its unit axes to `shape`
 * (NumPy's `broadcast_to`). Its transpose is the sum back down, done by the
 * backward driver's unbroadcasting like every other broadcast.
 *
 * @example
 * ```ts
 * const rows = broadcastTo(bias, ["batch", 3]);
 * ```
 */
export function broadcastTo(x: Value, shape: readonly Dim[]): Value {
  if (shape.length === x.rank && shape.every((d, i) => d === x.shape[i])) return x;
  return bind(broadcastToP, [x], { shape: [...shape] });
}

/**
 * Zeros of `like`'s dtype and shape, as a broadcast scalar (no storage
 * until the runtime materializes it).
 *
 * @example
 * ```ts
 * const z = zerosLike(x);
 * ```
 */
export function zerosLike(like: Value): Value {
  return broadcastTo(literal(0, like.dtype), like.shape);
}

export const broadcastToRules: PrimitiveRules<BroadcastToParams> = {
  ...defLinear(broadcastToP, (cotangent) => [cotangent]),
  batch: ([x], _, { shape }) => broadcastTo(alignBatched(x, shape.length), [x.shape[0], ...shape]),
  lower(context, [x], { shape }) {
    // Expand broadcasts the input against the shape tensor, so extents the input already has can be written as 1.
    const lead = shape.length - x.shape.length;
    const aligned = shape.map((_, i) => (i < lead ? -1 : x.shape[i - lead]));
    return context.builder.op("Expand", [x, context.shapeTensor(shape, { shape: aligned, fill: 1 })]);
  },
};
