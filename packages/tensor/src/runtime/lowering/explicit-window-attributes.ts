/**
 * Writing out the default window attributes of Conv, ConvTranspose and the
 * pools (`strides`, `dilations`, `kernel_shape`) for the WebGPU providers.
 * onnxruntime-web's WebGPU Conv rejects a node without `dilations`
 * ("dilations should be 2D") instead of applying the ONNX default; with the
 * defaults written out, every provider reads the same node.
 */
import { validateGraph } from "../../graph/index.js";
import type { AttributeValue, Graph, Node, ValueType } from "../../graph/ir.js";

const WINDOW_OPERATORS = new Set(["Conv", "ConvTranspose", "MaxPool", "AveragePool"]);

/** The node with `strides`, `dilations` (not for AveragePool, which has none in opset 17) and `kernel_shape` set. */
function withDefaults(node: Node, types: ReadonlyMap<string, ValueType>): Node {
  const weighted = node.op === "Conv" || node.op === "ConvTranspose";
  const kernel = weighted ? types.get(node.inputs[1])?.shape.slice(2) : (node.attributes.kernel_shape as readonly number[] | undefined);
  if (kernel === undefined || kernel.some((d) => typeof d !== "number")) return node;
  const ones = kernel.map(() => 1);
  const defaults: Record<string, AttributeValue> = { kernel_shape: kernel as number[], strides: ones };
  if (node.op !== "AveragePool") defaults.dilations = ones;
  return { ...node, attributes: { ...defaults, ...node.attributes } };
}

/**
 * `graph` with the window attributes of every Conv, ConvTranspose, MaxPool
 * and AveragePool written out (`graph` itself when it has no such node).
 *
 * @example
 * ```ts
 * explicitWindowAttributes(graph).nodes[0].attributes; // { kernel_shape: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [...] }
 * ```
 */
export function explicitWindowAttributes(graph: Graph): Graph {
  if (!graph.nodes.some((n) => WINDOW_OPERATORS.has(n.op))) return graph;
  const types = validateGraph(graph);
  return { ...graph, nodes: graph.nodes.map((n) => (WINDOW_OPERATORS.has(n.op) ? withDefaults(n, types) : n)) };
}
