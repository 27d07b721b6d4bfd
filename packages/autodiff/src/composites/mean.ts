import { multiplyDims } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { div } from "../primitives/div.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import { normalizeAxes } from "../primitives/reduction-axes.js";

/**
 * The mean over `axes` (all when left out). Over a symbolic axis (the batch)
 * the count is only known at run time, so it is computed in the program.
 *
 * @example
 * ```ts
 * const loss = mean(mul(residual, residual));
 * ```
 */
export function mean(x: Value, axes?: readonly number[], keepdims = false): Value {
  const normalized = normalizeAxes("mean", axes, x.rank);
  const count = multiplyDims(normalized.map((a) => x.shape[a]));
  // Ones over just the reduced extents, summed: the count, read from the run-time shape.
  const divisor = typeof count === "number" ? count : reduceSum(broadcastTo(literal(1, x.dtype), normalized.map((a) => x.shape[a])));
  return div(reduceSum(x, normalized, keepdims), divisor);
}
