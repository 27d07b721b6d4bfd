/**
 * Dropping omitted optional inputs at the end of a node's input list
 * (`["x", "w", ""]` becomes `["x", "w"]`), which ONNX defines as the same
 * node. onnxruntime-node 1.30's WebGPU Conv kernel crashes the process
 * (a segmentation fault) on the empty bias name, so ORT never sees one.
 */
import type { Graph, Node } from "../../graph/ir.js";

function trimmed(node: Node): Node {
  let count = node.inputs.length;
  while (count > 0 && node.inputs[count - 1] === "") count--;
  return count === node.inputs.length ? node : { ...node, inputs: node.inputs.slice(0, count) };
}

/**
 * `graph` without trailing empty inputs on any node (`graph` itself when it
 * has none).
 *
 * @example
 * ```ts
 * trimOptionalInputs(graph).nodes[0].inputs; // ["x", "w"] for a Conv built without a bias
 * ```
 */
export function trimOptionalInputs(graph: Graph): Graph {
  const nodes = graph.nodes.map(trimmed);
  return nodes.every((node, i) => node === graph.nodes[i]) ? graph : { ...graph, nodes };
}
