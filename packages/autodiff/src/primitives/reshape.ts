import { divideDims, formatShape, isUnknownDim, multiplyDims, ShapeError, type Dim } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { defLinear } from "../rules/jvp-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";

/** The target shape of {@link reshape}, fully resolved (no -1). */
export interface ReshapeParams {
  readonly shape: readonly Dim[];
  [key: string]: unknown;
}

/** `reshape(x, shape)`: the same elements in row-major order under another shape. */
export const reshapeP = definePrimitive<ReshapeParams>("reshape", ([x], { shape }) => {
  const from = multiplyDims(x.shape);
  const to = multiplyDims(shape);
  if (from !== to || isUnknownDim(from)) {
    throw new ShapeError(`cannot reshape ${formatShape(x.shape)} (${from} elements) into ${formatShape(shape)} (${to} elements)`);
  }
  return { dtype: x.dtype, shape };
});

/** `shape` with its one -1 (if any) replaced by the extent that keeps the size of `from`. */
function resolveShape(from: readonly Dim[], shape: readonly Dim[]): Dim[] {
  const unknown = shape.indexOf(-1);
  if (unknown === -1) return [...shape];
  if (shape.indexOf(-1, unknown + 1) !== -1) throw new ShapeError(`reshape: at most one -1 allowed, got ${formatShape(shape)}`);
  const rest = multiplyDims(shape.filter((_, i) => i !== unknown));
  const inferred = divideDims(multiplyDims(from), rest);
  if (isUnknownDim(inferred) || inferred === 0) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(from)} into ${formatShape(shape)}`);
  }
  return shape.map((d, i) => (i === unknown ? inferred : d));
}

/**
 * The elements of `x` in row-major order under `shape`; one extent may be -1
 * (inferred, symbolically when needed: `[batch, 4, 4]` to `[batch, -1]`).
 *
 * @example
 * ```ts
 * const flat = reshape(features, [features.shape[0], -1]);
 * ```
 */
export function reshape(x: Value, shape: readonly Dim[]): Value {
  const target = resolveShape(x.shape, shape);
  if (target.length === x.rank && target.every((d, i) => d === x.shape[i])) return x;
  // A reshape of a reshape is one reshape of the original (row-major order is kept by both).
  if (x.source.kind === "apply" && x.source.primitive === reshapeP) return reshape(x.source.inputs[0], target);
  return bind(reshapeP, [x], { shape: target });
}

export const reshapeRules: PrimitiveRules<ReshapeParams> = {
  ...defLinear(reshapeP, (cotangent, [x]) => [reshape(cotangent, x.shape)]),
  batch: ([x], _, { shape }) => reshape(x, [x.shape[0], ...shape]),
  lower: (context, [x], { shape }) => context.builder.op("Reshape", [x, context.shapeTensor(shape, { shape: x.shape, fill: 0 })]),
};
