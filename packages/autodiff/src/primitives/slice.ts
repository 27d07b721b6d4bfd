import { addDims, formatShape, ShapeError, ValueError, type Dim } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { defLinear } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { pad } from "./pad.js";

/** The ranges of {@link slice}: for each listed axis, `[start, end)` with step 1. */
export interface SliceParams {
  readonly axes: readonly number[];
  readonly starts: readonly number[];
  readonly ends: readonly Dim[];
  [key: string]: unknown;
}

/** `slice(x, ranges)`: contiguous sub-ranges of some axes. */
export const sliceP = definePrimitive<SliceParams>("slice", ([x], { axes, starts, ends }) => {
  const shape = [...x.shape];
  axes.forEach((axis, i) => {
    const extent = x.shape[axis];
    if (extent === undefined) throw new ValueError(`axis ${axis} out of range for ${formatShape(x.shape)}`);
    const end = ends[i];
    if (typeof end === "number" ? typeof extent === "number" && (end > extent || end < starts[i]) : end !== extent && end !== addDims([extent])) {
      throw new ShapeError(`range [${starts[i]}, ${end}) does not fit axis ${axis} of ${formatShape(x.shape)}`);
    }
    shape[axis] = typeof end === "number" ? end - starts[i] : starts[i] === 0 ? end : addDims([end, -starts[i]]);
  });
  return { dtype: x.dtype, shape };
});

/** One range of {@link slice}: `[axis, start, end]`, `end` exclusive (the axis' extent for "to the end"). */
export type SliceRange = readonly [axis: number, start: number, end: Dim];

/**
 * The contiguous block of `x` given by `ranges` (`[axis, start, end)` each;
 * other axes whole). Linear; its transpose pads with zeros.
 *
 * @example
 * ```ts
 * const firstTwoColumns = slice(x, [[1, 0, 2]]);
 * ```
 */
export function slice(x: Value, ranges: readonly SliceRange[]): Value {
  const kept = ranges.filter(([axis, start, end]) => !(start === 0 && end === x.shape[axis]));
  if (kept.length === 0) return x;
  kept.forEach(([axis, start]) => {
    if (!Number.isInteger(axis) || axis < 0 || axis >= x.rank) throw new ValueError(`slice: axis ${axis} out of range for rank ${x.rank}`);
    if (!Number.isInteger(start) || start < 0) throw new ValueError(`slice: start must be a non-negative integer, got ${start}`);
  });
  return bind(sliceP, [x], { axes: kept.map((r) => r[0]), starts: kept.map((r) => r[1]), ends: kept.map((r) => r[2]) });
}

export const sliceRules: PrimitiveRules<SliceParams> = {
  ...defLinear(sliceP, (cotangent, [x], _, { axes, starts, ends }) => {
    const before = x.shape.map(() => 0);
    const after = x.shape.map(() => 0);
    axes.forEach((axis, i) => {
      const extent = x.shape[axis];
      const end = ends[i];
      if (typeof extent !== "number" || typeof end !== "number") {
        if (end !== extent) throw new ShapeError(`slice: cannot transpose a partial range of the symbolic axis ${axis}`);
        before[axis] = starts[i];
        return;
      }
      before[axis] = starts[i];
      after[axis] = extent - end;
    });
    return [pad(cotangent, before, after)];
  }),
  batch: ([x], _, { axes, starts, ends }) => slice(x, axes.map((axis, i) => [axis + 1, starts[i], ends[i]] as const)),
  lower(context, [x], { axes, starts, ends }) {
    // An end on a symbolic axis is that axis' extent: "to the end", which ONNX writes as a large number.
    const onnxEnds = ends.map((end) => (typeof end === "number" ? end : Number.MAX_SAFE_INTEGER));
    return context.builder.op("Slice", [x, context.int64(starts), context.int64(onnxEnds), context.int64(axes)]);
  },
};
