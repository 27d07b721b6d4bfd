import { sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { evaluateNode } from "./evaluate.js";
import { describeNode } from "./inference-scope.js";
import type { Graph, Node, ValueType } from "./ir.js";
import { getOperator } from "./ops/index.js";
import { isStaticShape } from "./symbolic-dim.js";
import { validateGraph } from "./validate.js";

/** Options of {@link foldConstants}. */
export interface FoldConstantsOptions {
  /**
   * Results with more elements than this stay nodes, so an Expand, Tile or
   * ConstantOfShape does not turn into a huge constant. Default 2^20.
   */
  readonly maxElements?: number;
}

const DEFAULT_MAX_ELEMENTS = 2 ** 20;

function fitsLimit(type: ValueType | undefined, maxElements: number): boolean {
  return type === undefined || (isStaticShape(type.shape) && sizeOf(type.shape) <= maxElements);
}

/**
 * Evaluates every node whose inputs are all constants (or whose outputs
 * follow from input types alone, such as Shape of a value of static shape)
 * with the operator registry, and turns its outputs into constants. Graph
 * inputs are never treated as known. An output that is a graph output
 * becomes a Constant node instead, so graph outputs stay node outputs.
 *
 * @example
 * ```ts
 * // x + (2 * 3) becomes x + 6, with 6 a constant.
 * foldConstants(graph).nodes.map((n) => n.op); // ["Add"]
 * ```
 */
export function foldConstants(graph: Graph, { maxElements = DEFAULT_MAX_ELEMENTS }: FoldConstantsOptions = {}): Graph {
  const types = validateGraph(graph);
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const constants = new Map(graph.constants);
  // Every value known so far, including folded graph outputs that live in Constant nodes.
  const known = new Map(graph.constants);
  const nodes: Node[] = [];
  graph.nodes.forEach((node, index) => {
    const values = foldedValues(node, index, known, types, maxElements);
    if (values === undefined || (node.op === "Constant" && node.outputs.every((name) => graphOutputs.has(name)))) {
      nodes.push(node);
      return;
    }
    node.outputs.forEach((name, k) => {
      if (name === "") return;
      known.set(name, values[k]);
      if (graphOutputs.has(name)) nodes.push({ op: "Constant", inputs: [], outputs: [name], attributes: { value: values[k] }, name: node.name });
      else constants.set(name, values[k]);
    });
  });
  return { ...graph, nodes, constants };
}

/** The node's output values if they can be known now and are not too big, else undefined. */
function foldedValues(
  node: Node,
  index: number,
  known: ReadonlyMap<string, Tensor>,
  types: ReadonlyMap<string, ValueType>,
  maxElements: number,
): Tensor[] | undefined {
  if (!node.outputs.every((name) => name === "" || fitsLimit(types.get(name), maxElements))) return undefined;
  const inputTypes = node.inputs.map((name) => (name === "" ? undefined : types.get(name)));
  const fromTypes = getOperator(node.op).valuesFromTypes(inputTypes, node.attributes, describeNode(node, index));
  if (fromTypes !== undefined) return fromTypes;
  if (!node.inputs.every((name) => name === "" || known.has(name))) return undefined;
  return evaluateNode(node, node.inputs.map((name) => (name === "" ? undefined : known.get(name))), index);
}
