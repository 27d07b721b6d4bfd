import type { Graph, Node } from "./ir.js";
import { OPERATORS } from "./ops/index.js";

/**
 * Drops trailing outputs nobody reads (MaxPool's indices, Dropout's mask) so
 * they are not computed, down to the operator's minimum; unread outputs
 * before a read one become `""`.
 */
function trimOutputs(node: Node, live: ReadonlySet<string>): Node {
  const minimum = OPERATORS.get(node.op)?.outputCount.min;
  if (minimum === undefined) return node;
  const outputs = node.outputs.map((name, k) => (k < minimum || live.has(name) ? name : ""));
  while (outputs.length > minimum && outputs[outputs.length - 1] === "") outputs.pop();
  const changed = outputs.length !== node.outputs.length || outputs.some((name, k) => name !== node.outputs[k]);
  return changed ? { ...node, outputs } : node;
}

/**
 * Removes nodes none of whose outputs reach a graph output, and constants no
 * kept node reads. Graph inputs and outputs stay as they are (an unused input
 * is still an input).
 *
 * @example
 * ```ts
 * const smaller = eliminateDeadCode(graph);
 * smaller.nodes.length <= graph.nodes.length; // true
 * ```
 */
export function eliminateDeadCode(graph: Graph): Graph {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept: Node[] = [];
  for (let index = graph.nodes.length - 1; index >= 0; index--) {
    const node = graph.nodes[index];
    if (!node.outputs.some((name) => name !== "" && live.has(name))) continue;
    kept.push(trimOutputs(node, live));
    for (const name of node.inputs) if (name !== "") live.add(name);
  }
  kept.reverse();
  const constants = new Map([...graph.constants].filter(([name]) => live.has(name)));
  return { ...graph, nodes: kept, constants };
}
