import type { Tensor } from "../tensor.js";
import type { Graph, Node } from "./ir.js";
import { attributesEqual, attributesKey, tensorDigest, tensorsEqual } from "./structural-equality.js";

/** Nodes computing the same thing share this key: op, domain, inputs, attributes, and which outputs exist. */
function nodeKey(node: Node): string {
  const domain = node.domain === "ai.onnx" ? "" : (node.domain ?? "");
  const outputs = node.outputs.map((name) => (name === "" ? "-" : "+")).join("");
  return [node.op, domain, node.inputs.join("\u0000"), outputs, attributesKey(node.attributes)].join("\u0001");
}

function sameComputation(a: Node, b: Node): boolean {
  return a.op === b.op && a.inputs.every((name, i) => name === b.inputs[i]) && attributesEqual(a.attributes, b.attributes);
}

/**
 * Merges constants with equal contents (dtype, shape and bytes) into the
 * first of them, and nodes that apply the same op with the same attributes to
 * the same inputs into the first such node; later uses are rewired. Values
 * named as graph outputs keep their names, so a duplicate that is a graph
 * output stays.
 *
 * @example
 * ```ts
 * // relu(x) computed twice becomes one Relu node.
 * eliminateCommonSubexpressions(graph).nodes.length;
 * ```
 */
export function eliminateCommonSubexpressions(graph: Graph): Graph {
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const replacement = new Map<string, string>();
  const constants = new Map<string, Tensor>();
  const constantsByDigest = new Map<string, string[]>();
  for (const [name, value] of graph.constants) {
    const digest = tensorDigest(value);
    const candidates = constantsByDigest.get(digest) ?? [];
    const twin = candidates.find((other) => tensorsEqual(constants.get(other)!, value));
    if (twin !== undefined && !graphOutputs.has(name)) {
      replacement.set(name, twin);
      continue;
    }
    constants.set(name, value);
    constantsByDigest.set(digest, [...candidates, name]);
  }
  const nodes: Node[] = [];
  const nodesByKey = new Map<string, Node[]>();
  for (const original of graph.nodes) {
    const node = { ...original, inputs: original.inputs.map((name) => replacement.get(name) ?? name) };
    const key = nodeKey(node);
    const candidates = nodesByKey.get(key) ?? [];
    const twin = candidates.find((other) => sameComputation(other, node));
    if (twin !== undefined && !node.outputs.some((name) => graphOutputs.has(name))) {
      node.outputs.forEach((name, k) => name !== "" && replacement.set(name, twin.outputs[k]));
      continue;
    }
    nodes.push(node);
    nodesByKey.set(key, [...candidates, node]);
  }
  return { ...graph, nodes, constants };
}
