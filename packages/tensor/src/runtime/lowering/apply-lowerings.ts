/**
 * Running a set of lowerings over a graph: every node a chooser picks is
 * replaced by the nodes its lowering emits, the others are kept as they are.
 */
import { describeNode, validateGraph } from "../../graph/index.js";
import type { Graph, Node, ValueType } from "../../graph/ir.js";
import { NodeEmitter, type Lowering } from "./node-emitter.js";

/** Picks the lowering of a node, or undefined to keep the node. */
export type LoweringChooser = (node: Node, types: ReadonlyMap<string, ValueType>) => Lowering | undefined;

/**
 * `graph` with every node `choose` picks lowered (`graph` itself when it
 * picks none). The graph must be valid: its types drive the lowerings.
 *
 * @example
 * ```ts
 * const lowered = applyLowerings(graph, (node, types) => (node.op === "Erf" ? lowerErf : undefined));
 * ```
 */
export function applyLowerings(graph: Graph, choose: LoweringChooser): Graph {
  const types = validateGraph(graph);
  if (!graph.nodes.some((n) => choose(n, types) !== undefined)) return graph;
  const emitter = new NodeEmitter(graph, types);
  graph.nodes.forEach((node, index) => {
    const lowering = choose(node, types);
    if (lowering === undefined) {
      emitter.nodes.push(node);
      return;
    }
    emitter.prefix = `${node.name ?? node.outputs[0]}/lowered`;
    lowering(node, emitter, describeNode(node, index));
  });
  return { ...graph, nodes: emitter.nodes, constants: emitter.constants };
}
