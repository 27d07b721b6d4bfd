import { addDims, ValueError } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import type { PrimitiveRules } from "../rules/rule-types.js";
import { slice } from "./slice.js";

/** The padding of {@link pad}: entries added before and after each axis, and their value. */
export interface PadParams {
  readonly before: readonly number[];
  readonly after: readonly number[];
  readonly value: number;
  [key: string]: unknown;
}

/** `pad(x, before, after, value)`: constant padding. */
export const padP = definePrimitive<PadParams>("pad", ([x], { before, after }) => {
  if (before.length !== x.shape.length || after.length !== x.shape.length) {
    throw new ValueError(`expected ${x.shape.length} paddings before and after, got ${before.length} and ${after.length}`);
  }
  return { dtype: x.dtype, shape: x.shape.map((d, i) => (before[i] === 0 && after[i] === 0 ? d : addDims([d, before[i], after[i]]))) };
});

/**
 * `x` with `before[i]` entries of `value` added before axis `i` and
 * `after[i]` after it (non-negative counts; ONNX `Pad`, constant mode).
 * Linear in `x` for `value = 0`; its transpose is a slice.
 *
 * @example
 * ```ts
 * const padded = pad(images, [0, 0, 1, 1], [0, 0, 1, 1]);   // one zero row/column around H and W
 * ```
 */
export function pad(x: Value, before: readonly number[], after: readonly number[], value = 0): Value {
  [...before, ...after].forEach((p) => {
    if (!Number.isInteger(p) || p < 0) throw new ValueError(`pad: paddings must be non-negative integers, got [${before}] and [${after}]`);
  });
  if ([...before, ...after].every((p) => p === 0)) return x;
  return bind(padP, [x], { before: [...before], after: [...after], value });
}

export const padRules: PrimitiveRules<PadParams> = {
  // The padding value is a constant: the tangent is padded with zeros.
  jvp: (_, [t], { before, after }) => (t === null ? null : pad(t, before, after, 0)),
  transpose: (cotangent, [x], _, { before }) => [slice(cotangent, before.map((b, axis) => [axis, b, addDims([b, x.shape[axis]])] as const))],
  batch: ([x], _, { before, after, value }) => pad(x, [0, ...before], [0, ...after], value),
  lower: (context, [x], { before, after, value }) =>
    context.builder.op("Pad", [x, context.int64([...before, ...after]), context.scalar(value, x.dtype)], { mode: "constant" }),
};
