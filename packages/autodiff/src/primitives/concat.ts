import { addDims, dimsMayBeEqual, formatShape, ShapeError, ValueError } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { materializeBatch } from "../rules/batch-helpers.js";
import { defLinear } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { commonDType } from "../rules/type-rules.js";
import { slice } from "./slice.js";

/** The axis {@link concat} joins along. */
export interface ConcatParams {
  readonly axis: number;
  [key: string]: unknown;
}

/** `concat(xs, axis)`: joins operands along an existing axis. */
export const concatP = definePrimitive<ConcatParams>("concat", (inputs, { axis }) => {
  const dtype = commonDType(inputs);
  const first = inputs[0].shape;
  inputs.forEach((x, i) => {
    if (x.shape.length !== first.length || x.shape.some((d, k) => k !== axis && !dimsMayBeEqual(d, first[k]))) {
      throw new ShapeError(`operand ${i} has shape ${formatShape(x.shape)}, incompatible with ${formatShape(first)} along axis ${axis}`);
    }
  });
  return { dtype, shape: first.map((d, k) => (k === axis ? addDims(inputs.map((x) => x.shape[axis])) : d)) };
});

/**
 * Joins `xs` along `axis` (negative counts from the end). Linear; its
 * transpose slices the cotangent back into pieces.
 *
 * @example
 * ```ts
 * const withBias = concat([weight, reshape(bias, [-1, 1])], 1);   // [W | b]
 * ```
 */
export function concat(xs: readonly Value[], axis: number): Value {
  if (xs.length === 0) throw new ValueError("concat: expected at least one operand");
  const rank = xs[0].rank;
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank) throw new ValueError(`concat: axis ${axis} out of range for rank ${rank}`);
  if (xs.length === 1) return xs[0];
  return bind(concatP, xs, { axis: normalized });
}

export const concatRules: PrimitiveRules<ConcatParams> = {
  ...defLinear(concatP, (cotangent, inputs, linear, { axis }) => {
    let start = 0;
    return inputs.map((x, i) => {
      const extent = x.shape[axis];
      if (typeof extent !== "number") throw new ShapeError(`concat: cannot transpose along the symbolic axis ${axis}`);
      const piece = linear[i] ? slice(cotangent, [[axis, start, start + extent]]) : null;
      start += extent;
      return piece;
    });
  }),
  batch: (inputs, batched, { axis }, size) => concat(inputs.map((x, i) => materializeBatch(x, batched[i], size)), axis + 1),
  lower: (context, inputs, { axis }) => context.builder.op("Concat", inputs, { axis }),
};
