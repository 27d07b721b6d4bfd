import { ValueError } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { defLinear } from "../rules/jvp-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";

/** The axis order of {@link transpose}: output axis `i` is input axis `perm[i]`. */
export interface TransposeParams {
  readonly perm: readonly number[];
  [key: string]: unknown;
}

/** `transpose(x, perm)`: permutes axes. */
export const transposeP = definePrimitive<TransposeParams>("transpose", ([x], { perm }) => {
  const sorted = [...perm].sort((p, q) => p - q);
  if (perm.length !== x.shape.length || sorted.some((p, i) => p !== i)) {
    throw new ValueError(`perm [${perm.join(", ")}] is not a permutation of ${x.shape.length} axes`);
  }
  return { dtype: x.dtype, shape: perm.map((p) => x.shape[p]) };
});

/** The permutation undoing `perm`. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

/**
 * Permutes the axes of `x`: output axis `i` is input axis `perm[i]`
 * (negative entries count from the end).
 *
 * @example
 * ```ts
 * const wT = transpose(weight, [1, 0]);
 * ```
 */
export function transpose(x: Value, perm: readonly number[]): Value {
  const normalized = perm.map((p) => (p < 0 ? p + x.rank : p));
  if (normalized.every((p, i) => p === i) && normalized.length === x.rank) return x;
  // A transpose of a transpose is one permutation (often the identity: the
  // backward pass of `matmul(x, transpose(w))` transposes twice).
  if (x.source.kind === "apply" && x.source.primitive === transposeP && normalized.length === x.rank) {
    const inner = (x.source.params as TransposeParams).perm;
    return transpose(x.source.inputs[0], normalized.map((p) => inner[p]));
  }
  return bind(transposeP, [x], { perm: normalized });
}

export const transposeRules: PrimitiveRules<TransposeParams> = {
  ...defLinear(transposeP, (cotangent, _, __, { perm }) => [transpose(cotangent, inversePermutation(perm))]),
  batch: ([x], _, { perm }) => transpose(x, [0, ...perm.map((p) => p + 1)]),
  lower: lowerTo("Transpose", ({ perm }) => ({ perm: [...perm] })),
};
