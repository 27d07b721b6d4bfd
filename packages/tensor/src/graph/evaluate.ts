/**
 * The reference interpreter: runs a graph's nodes in order on the host
 * kernels. The `js` runtime wraps it and constant folding uses
 * {@link evaluateNode}.
 */
import { GraphError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { checkGraphFeeds, type FeedCheckOptions } from "./feeds.js";
import { describeNode } from "./inference-scope.js";
import type { Graph, Node } from "./ir.js";
import { getOperator } from "./ops/index.js";

/** Options of {@link evaluateGraph}. */
export type EvaluateGraphOptions = FeedCheckOptions;

/**
 * Runs one node on its input values (`undefined` for omitted optional
 * inputs); errors name the node (`index` is its position, for nodes without a name).
 *
 * @example
 * ```ts
 * const node = { op: "Relu", inputs: ["x"], outputs: ["y"], attributes: {} };
 * evaluateNode(node, [tensor([-1, 2])])[0].toArray(); // [0, 2]
 * ```
 */
export function evaluateNode(node: Node, inputs: readonly (Tensor | undefined)[], index = 0): Tensor[] {
  const context = describeNode(node, index);
  let definition;
  try {
    definition = getOperator(node.op);
  } catch (error) {
    throw new GraphError(`${context}: ${(error as Error).message}`);
  }
  return definition.evaluate(inputs, node.attributes, { outputCount: node.outputs.length, context });
}

/** The nodes needed for `fetches` (as a set of node positions), walking back from them. */
function neededNodes(graph: Graph, fetches: readonly string[]): Set<number> {
  const producer = new Map<string, number>();
  graph.nodes.forEach((node, index) => node.outputs.forEach((name) => name !== "" && producer.set(name, index)));
  const needed = new Set<number>();
  const pending = [...fetches];
  while (pending.length > 0) {
    const index = producer.get(pending.pop()!);
    if (index === undefined || needed.has(index)) continue;
    needed.add(index);
    pending.push(...graph.nodes[index].inputs.filter((name) => name !== ""));
  }
  return needed;
}

/**
 * Runs `graph` on `feeds` and returns the values named in `fetches` (the
 * graph outputs by default; any value of the graph may be fetched). Only the
 * nodes the fetches need run, and intermediate values are dropped after their
 * last use.
 *
 * Feeds are checked first against the declared inputs (see
 * {@link checkGraphFeeds}); with `checkFinite`, NaN or infinite feed entries
 * are a ValueError naming the input.
 *
 * @example
 * ```ts
 * const b = new GraphBuilder("g");
 * const x = b.input("x", "float32", ["batch", 2]);
 * b.output(b.op("Relu", [x]), "y");
 * evaluateGraph(b.build(), { x: tensor([[-1, 2]]) }).y.toNested(); // [[0, 2]]
 * ```
 */
export function evaluateGraph(
  graph: Graph,
  feeds: Readonly<Record<string, Tensor>>,
  fetches: readonly string[] = graph.outputs.map((o) => o.name),
  options: EvaluateGraphOptions = {},
): Record<string, Tensor> {
  checkGraphFeeds(graph, feeds, options);
  const values = new Map<string, Tensor>([...graph.constants, ...Object.entries(feeds)]);
  const needed = neededNodes(graph, fetches);
  const lastUse = new Map<string, number>();
  for (const index of needed) for (const name of graph.nodes[index].inputs) lastUse.set(name, Math.max(index, lastUse.get(name) ?? -1));
  const keep = new Set(fetches);
  graph.nodes.forEach((node, index) => {
    if (!needed.has(index)) return;
    const inputs = node.inputs.map((name, i) => {
      if (name === "") return undefined;
      const value = values.get(name);
      if (value === undefined) {
        throw new GraphError(`${describeNode(node, index)}: input ${i} "${name}" is not defined by a graph input, a constant or an earlier node`);
      }
      return value;
    });
    const outputs = evaluateNode(node, inputs, index);
    node.outputs.forEach((name, k) => name !== "" && values.set(name, outputs[k]));
    for (const name of node.inputs) if (lastUse.get(name) === index && !keep.has(name)) values.delete(name);
  });
  const result: Record<string, Tensor> = {};
  for (const name of fetches) {
    const value = values.get(name);
    if (value === undefined) throw new ValueError(`graph "${graph.name}": fetch "${name}" is not a value of the graph`);
    result[name] = value;
  }
  return result;
}
