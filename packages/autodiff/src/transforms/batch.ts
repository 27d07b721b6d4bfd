/**
 * Batching (JAX's `vmap`): maps a computation over a new leading axis of
 * some inputs, so a product with K vectors is one program run instead of K.
 * Each primitive's batch rule sees its operands with the batch axis first
 * (or absent, for operands that do not vary) and returns a batched result;
 * values that do not depend on the batched inputs are left as they are, so
 * the shared part of the computation (a forward pass) is not repeated.
 */
import { formatShape, ShapeError, ValueError } from "@curv/tensor";
import { topologicalOrder } from "../core/graph-walk.js";
import type { Primitive } from "../core/primitive.js";
import { Value } from "../core/value.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { PRIMITIVES } from "../primitives/index.js";
import { ruleTable, type BatchRule } from "../rules/rule-types.js";
import { lookupRule } from "./rule-lookup.js";

/** The batch rule of every primitive. */
export const batchRules: ReadonlyMap<Primitive, BatchRule> = ruleTable(PRIMITIVES, "batch");

/**
 * `outputs` with each key of `substitutions` (an unbatched value) replaced by
 * its batched value (batch axis of extent `size` first). Every result is
 * batched; outputs that do not depend on the substituted values are
 * broadcast along the batch axis.
 *
 * @example
 * ```ts
 * const [ys] = batchValues([exp(x)], new Map([[x, xs]]), 4);   // xs: [4, ...x.shape]
 * ```
 */
export function batchValues(outputs: readonly Value[], substitutions: ReadonlyMap<Value, Value>, size: number): Value[] {
  const batched = new Map<Value, Value>(substitutions);
  for (const value of topologicalOrder(outputs)) {
    if (value.source.kind !== "apply" || batched.has(value)) continue;
    const { primitive, inputs, params } = value.source;
    const flags = inputs.map((i) => batched.has(i));
    if (!flags.some(Boolean)) continue;
    const operands = inputs.map((i) => batched.get(i) ?? i);
    const result = lookupRule(batchRules, primitive, "batch")(operands, flags, params, size);
    const expected = [size, ...value.shape];
    if (result.rank !== expected.length || result.shape.some((d, i) => typeof d === "number" && typeof expected[i] === "number" && d !== expected[i])) {
      throw new ShapeError(`batch rule of "${primitive.name}" returned ${formatShape(result.shape)}, expected ${formatShape(expected)}`);
    }
    batched.set(value, result);
  }
  return outputs.map((o) => batched.get(o) ?? broadcastTo(o, [size, ...o.shape]));
}

/**
 * Maps `f` over the leading axis (extent `size`) of the arguments marked
 * `batched`; the others are shared by every copy. Returns a function of the
 * stacked arguments whose outputs all have the leading axis.
 *
 * @example
 * ```ts
 * // K Hessian-vector products in one program: vectors is [K, ...w.shape]
 * const hvps = vmap(([v]) => hvp(loss, [w], [v]), 4, [true])([vectors]);
 * ```
 */
export function vmap(f: (args: Value[]) => Value[], size: number, batched: readonly boolean[]): (args: readonly Value[]) => Value[] {
  if (!Number.isInteger(size) || size < 1) throw new ValueError(`vmap: size must be a positive integer, got ${size}`);
  return (args) => {
    if (args.length !== batched.length) throw new ValueError(`vmap: ${batched.length} batched flags but ${args.length} arguments`);
    const placeholders = args.map((arg, i) => {
      if (!batched[i]) return arg;
      if (arg.rank < 1 || arg.shape[0] !== size) {
        throw new ShapeError(`vmap: argument ${i} must have a leading axis of extent ${size}, got ${formatShape(arg.shape)}`);
      }
      return Value.leaf({ dtype: arg.dtype, shape: arg.shape.slice(1) }, { kind: "input", name: `batch placeholder ${i}` });
    });
    const outputs = f(placeholders);
    const substitutions = new Map(args.flatMap((arg, i) => (batched[i] ? [[placeholders[i], arg] as [Value, Value]] : [])));
    return batchValues(outputs, substitutions, size);
  };
}
