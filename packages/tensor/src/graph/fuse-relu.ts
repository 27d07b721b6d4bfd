/**
 * ReLU written as a selection, `Where(Greater(x, 0), x, 0)` (how curv's
 * `relu` composite is traced, so its derivative at 0 is 0), as one Relu
 * node: a runtime computes it in one pass instead of a comparison and a
 * broadcasting select. The comparison stays where the derivative reads it.
 * The values are the same for every number (including -0, which both give
 * as +0); a NaN input gives NaN on runtimes whose Relu propagates it, 0
 * on ORT's CPU provider, as before.
 */
import { GraphFacts, nodeOf } from "./graph-facts.js";
import type { Graph } from "./ir.js";
import { FLOAT_DTYPES } from "./ops/operator.js";

/** Whether `name` is a constant with a single entry, zero. */
function isScalarZero(facts: GraphFacts, name: string): boolean {
  const value = facts.constant(name);
  return value !== undefined && value.size === 1 && Number(value.data[0]) === 0;
}

/**
 * `graph` with every `Where(Greater(x, 0), x, 0)` whose result has `x`'s
 * shape replaced by `Relu(x)`.
 *
 * @example
 * ```ts
 * fuseRelu(graph).nodes.map((n) => n.op); // ["Greater", "Relu"], was ["Greater", "Where"]
 * ```
 */
export function fuseRelu(graph: Graph): Graph {
  const facts = new GraphFacts(graph);
  const nodes = graph.nodes.map((current) => {
    if (current.op !== "Where") return current;
    const [condition, x, otherwise] = current.inputs;
    const comparison = facts.producers.get(condition);
    if (comparison?.op !== "Greater" || comparison.inputs[0] !== x) return current;
    if (!isScalarZero(facts, comparison.inputs[1]) || !isScalarZero(facts, otherwise)) return current;
    const inputType = facts.types.get(x)!;
    const outputType = facts.types.get(current.outputs[0])!;
    const sameShape = inputType.shape.length === outputType.shape.length && inputType.shape.every((d, i) => d === outputType.shape[i]);
    if (!sameShape || outputType.dtype !== inputType.dtype || !FLOAT_DTYPES.includes(inputType.dtype)) return current;
    return nodeOf("Relu", [x], current.outputs);
  });
  return { ...graph, nodes };
}
