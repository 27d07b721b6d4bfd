/**
 * Walking the value graph. Values are numbered in creation order and an
 * application is created after its operands, so sorting by id is a
 * topological order.
 */
import type { Value } from "./value.js";

/** Every value `roots` depend on (themselves included), operands before users. */
export function topologicalOrder(roots: readonly Value[]): Value[] {
  const seen = new Set<Value>();
  const stack = [...roots];
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (seen.has(value)) continue;
    seen.add(value);
    if (value.source.kind === "apply") stack.push(...value.source.inputs);
  }
  return [...seen].sort((a, b) => a.id - b.id);
}

/** The values among `order` that depend on any of `sources` (sources included). */
export function dependents(order: readonly Value[], sources: Iterable<Value>): Set<Value> {
  const reached = new Set<Value>(sources);
  for (const value of order) {
    if (value.source.kind === "apply" && value.source.inputs.some((i) => reached.has(i))) reached.add(value);
  }
  return reached;
}
