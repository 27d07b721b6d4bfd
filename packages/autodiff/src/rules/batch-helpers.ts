/**
 * Batching helpers. Batched operands always carry the batch axis first.
 */
import { bind, type Params, type Primitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { reshape } from "../primitives/reshape.js";
import type { BatchRule } from "./rule-types.js";

/**
 * A batched operand (`[K, ...s]`) reshaped to rank `rank + 1` by inserting
 * unit axes after the batch axis, so NumPy broadcasting aligns its own axes
 * with the other operands' rather than with the batch axis.
 */
export function alignBatched(x: Value, rank: number): Value {
  const own = x.shape.slice(1);
  if (own.length === rank) return x;
  return reshape(x, [x.shape[0], ...new Array<number>(rank - own.length).fill(1), ...own]);
}

/** The logical rank of an operand (without its batch axis). */
export function logicalRank(x: Value, batched: boolean): number {
  return batched ? x.rank - 1 : x.rank;
}

/** A batched copy of `x` (`[size, ...x.shape]`), for operands that must all be batched. */
export function materializeBatch(x: Value, batched: boolean, size: number): Value {
  return batched ? x : broadcastTo(x, [size, ...x.shape]);
}

/** Batching of broadcasting elementwise primitives: align ranks, then apply as is. */
export function elementwiseBatch<P extends Params>(primitive: Primitive<P>): BatchRule<P> {
  return (inputs, batched, params) => {
    const rank = Math.max(...inputs.map((x, i) => logicalRank(x, batched[i])));
    return bind(primitive, inputs.map((x, i) => (batched[i] ? alignBatched(x, rank) : x)), params);
  };
}
