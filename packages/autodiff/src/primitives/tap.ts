import { ValueError } from "@curv/tensor";
import { bind, definePrimitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { elementwiseBatch } from "../rules/batch-helpers.js";
import { lowerTo } from "../rules/lowering-helpers.js";
import type { PrimitiveRules } from "../rules/rule-types.js";

/** What a tap marks: the input or the output of the layer named `label`. */
export interface TapParams {
  readonly label: string;
  readonly role: "input" | "output";
  [key: string]: unknown;
}

/** `tap(x)`: the identity, labelled as a layer's input or output. */
export const tapP = definePrimitive<TapParams>("tap", ([x]) => x);

function tap(x: Value, label: string, role: TapParams["role"]): Value {
  if (typeof label !== "string" || label === "") throw new ValueError(`tap: expected a non-empty layer label, got ${JSON.stringify(label)}`);
  return bind(tapP, [x], { label, role });
}

/**
 * Marks `x` as the input of the layer `label` (identity). `tappedVjp`
 * returns it by label: KFAC's `A` factor, per-example gradients.
 *
 * @example
 * ```ts
 * const y = matmul(tapLayerInput(x, "0"), transpose(w, [1, 0]));
 * ```
 */
export function tapLayerInput(x: Value, label: string): Value {
  return tap(x, label, "input");
}

/**
 * Marks `y` as the output of the layer `label` (identity). `tappedVjp`
 * returns the gradient of the output seed with respect to it, read off the
 * same backward pass that computes the parameter gradients.
 *
 * @example
 * ```ts
 * const y = tapLayerOutput(add(matmul(x, wT), b), "0");
 * ```
 */
export function tapLayerOutput(y: Value, label: string): Value {
  return tap(y, label, "output");
}

export const tapRules: PrimitiveRules<TapParams> = {
  // Tangents and cotangents pass through unmarked: only the primal forward pass carries taps.
  jvp: (_, [t]) => t,
  transpose: (cotangent) => [cotangent],
  batch: elementwiseBatch(tapP),
  lower: lowerTo("Identity"),
};
