/**
 * Transposition: runs a linear computation backwards. Given values that are
 * linear in some inputs (as tangents are, after `pushTangents`), it maps
 * output cotangents to input cotangents with each linear primitive's
 * transpose rule, summing each rule's result down to its operand's shape
 * ({@link unbroadcast}) and adding contributions that meet.
 */
import { GraphError } from "@curv/tensor";
import { dependents, topologicalOrder } from "../core/graph-walk.js";
import type { Primitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { zerosLike } from "../primitives/broadcast-to.js";
import { PRIMITIVES } from "../primitives/index.js";
import { ruleTable, type TransposeRule } from "../rules/rule-types.js";
import { checkTangent } from "./jvp.js";
import { lookupRule } from "./rule-lookup.js";
import { unbroadcast } from "./unbroadcast.js";

/** The transpose rule of every linear primitive. */
export const transposeRules: ReadonlyMap<Primitive, TransposeRule> = ruleTable(PRIMITIVES, "transpose");

/**
 * The cotangents of `linearInputs` given cotangents of `linearOutputs`,
 * where the outputs are linear functions of those inputs (other leaves are
 * constants of the linear map). Inputs that no output depends on get zeros.
 *
 * @example
 * ```ts
 * // y = 3 x  =>  x̄ = 3 ȳ
 * const [xBar] = transposeLinear([mul(x, 3)], [yBar], [x]);
 * ```
 */
export function transposeLinear(linearOutputs: readonly Value[], cotangents: readonly Value[], linearInputs: readonly Value[]): Value[] {
  linearOutputs.forEach((o, i) => checkTangent(o, cotangents[i], `transpose: cotangent ${i}`));
  const order = topologicalOrder(linearOutputs);
  const linear = dependents(order, linearInputs);
  const accumulated = new Map<Value, Value>();
  const accumulate = (value: Value, cotangent: Value) => {
    const previous = accumulated.get(value);
    accumulated.set(value, previous === undefined ? cotangent : add(previous, cotangent));
  };
  linearOutputs.forEach((o, i) => linear.has(o) && accumulate(o, cotangents[i]));
  const inputs = new Set(linearInputs);
  for (let k = order.length - 1; k >= 0; k--) {
    const value = order[k];
    const cotangent = accumulated.get(value);
    if (cotangent === undefined || inputs.has(value) || value.source.kind !== "apply") continue;
    const { primitive, inputs: operands, params } = value.source;
    const isLinear = operands.map((o) => linear.has(o));
    const operandCotangents = lookupRule(transposeRules, primitive, "transpose")(cotangent, operands, isLinear, params, value);
    operands.forEach((operand, i) => {
      const c = operandCotangents[i];
      if (!isLinear[i] || c === null || c === undefined) return;
      accumulate(operand, unbroadcast(c, operand));
    });
    accumulated.delete(value);
  }
  return linearInputs.map((x) => accumulated.get(x) ?? zerosLike(x));
}

/** Throws unless `value` is free of every value in `forbidden` (a transposition must not leave linear inputs behind). */
export function assertIndependent(values: readonly Value[], forbidden: readonly Value[], what: string): void {
  const reached = dependents(topologicalOrder(values), forbidden);
  if (values.some((v) => reached.has(v))) throw new GraphError(`${what}: the result still depends on a linear input; a rule is not linear`);
}
