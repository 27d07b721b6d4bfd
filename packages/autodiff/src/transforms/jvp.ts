/**
 * Forward mode: pushes tangents through the value graph with each
 * primitive's JVP rule. Zero tangents stay symbolic (`null`), so only what
 * depends on the differentiated inputs is computed.
 */
import { formatShape, ShapeError, ValueError } from "@curv/tensor";
import { topologicalOrder } from "../core/graph-walk.js";
import type { Primitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { broadcastTo, zerosLike } from "../primitives/broadcast-to.js";
import { PRIMITIVES } from "../primitives/index.js";
import { ruleTable, type JvpRule } from "../rules/rule-types.js";
import { lookupRule } from "./rule-lookup.js";

/** The JVP rule of every primitive that has one. */
export const jvpRules: ReadonlyMap<Primitive, JvpRule> = ruleTable(PRIMITIVES, "jvp");

/** Throws unless `tangent` fits `primal` in dtype and shape. */
export function checkTangent(primal: Value, tangent: Value, what: string): void {
  if (tangent.dtype !== primal.dtype || tangent.rank !== primal.rank || tangent.shape.some((d, i) => d !== primal.shape[i])) {
    throw new ShapeError(`${what}: expected ${primal.dtype} ${formatShape(primal.shape)}, got ${tangent}`);
  }
}

/** Throws unless the values differentiated with respect to are distinct (a value listed twice would get only one tangent). */
export function checkDistinct(values: readonly Value[], what: string): void {
  values.forEach((v, i) => {
    const first = values.indexOf(v);
    if (first !== i) throw new ValueError(`${what}: primal ${i} is the same value as primal ${first}; list each value once`);
  });
}

/**
 * The tangents of `outputs` when each key of `seeds` moves along its value
 * (`null`: the output does not depend on them). Values not in `seeds` are
 * held fixed. Each key of `perturbations` (an intermediate value) gets its
 * value added to the tangent flowing into it: the derivative with respect
 * to a perturbation `p` of `v + p` at `p = 0`, which is how layer taps read
 * the gradient at a layer's output without changing the forward pass.
 *
 * @example
 * ```ts
 * const [dy] = pushTangents([exp(x)], new Map([[x, v]]));   // exp(x) * v
 * ```
 */
export function pushTangents(
  outputs: readonly Value[],
  seeds: ReadonlyMap<Value, Value>,
  perturbations: ReadonlyMap<Value, Value> = new Map(),
): (Value | null)[] {
  const tangents = new Map<Value, Value>(seeds);
  for (const value of topologicalOrder(outputs)) {
    if (value.source.kind !== "apply" || tangents.has(value)) continue;
    const { primitive, inputs, params } = value.source;
    const operandTangents = inputs.map((i) => tangents.get(i) ?? null);
    let tangent: Value | null = null;
    if (operandTangents.some((t) => t !== null)) {
      const pushed = lookupRule(jvpRules, primitive, "jvp")(inputs, operandTangents, params, value);
      // Rules may return a broadcastable tangent (add with one zero operand); make it the output's shape here, once.
      tangent = pushed === null ? null : broadcastTo(pushed, value.shape);
    }
    const perturbation = perturbations.get(value);
    if (perturbation !== undefined) tangent = tangent === null ? perturbation : add(tangent, perturbation);
    if (tangent !== null) tangents.set(value, tangent);
  }
  return outputs.map((o) => tangents.get(o) ?? null);
}

/**
 * Forward-mode derivative: evaluates `f` at `primals` and its directional
 * derivative along `tangents` (one per primal, same dtype and shape).
 * Returns the outputs and their tangents (zeros where an output does not
 * depend on the primals).
 *
 * @example
 * ```ts
 * const [[y], [dy]] = jvp(([x]) => [exp(x)], [x], [v]);   // dy = exp(x) * v
 * ```
 */
export function jvp(f: (primals: Value[]) => Value[], primals: readonly Value[], tangents: readonly Value[]): [Value[], Value[]] {
  if (primals.length !== tangents.length) throw new ValueError(`jvp: ${primals.length} primals but ${tangents.length} tangents`);
  checkDistinct(primals, "jvp");
  primals.forEach((p, i) => checkTangent(p, tangents[i], `jvp: tangent ${i}`));
  const outputs = f([...primals]);
  const outTangents = pushTangents(outputs, new Map(primals.map((p, i) => [p, tangents[i]])));
  return [outputs, outTangents.map((t, i) => t ?? zerosLike(outputs[i]))];
}
