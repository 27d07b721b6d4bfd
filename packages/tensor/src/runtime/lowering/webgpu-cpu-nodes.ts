/**
 * Nodes to keep off onnxruntime-node's WebGPU provider. Its MaxPool kernel
 * accepts a node whose `Indices` output is used, then fails when it runs
 * ("The Indices output is not supported yet") instead of leaving the node to
 * the CPU provider; such nodes are named in the provider's
 * `forceCpuNodeNames` option so that ORT runs them on the CPU.
 * (onnxruntime-web's WebGPU provider has no such option; see
 * web-gpu-lowerings.ts for what it gets instead.)
 */
import type { Graph, Node } from "../../graph/ir.js";
import { usesIndicesOutput } from "./window-geometry.js";

function failsOnWebGpu(node: Node): boolean {
  return node.op === "MaxPool" && usesIndicesOutput(node);
}

/** The graph with a name on every node to keep off WebGPU, and those names. */
export interface CpuPinnedGraph {
  readonly graph: Graph;
  readonly cpuNodes: readonly string[];
}

/**
 * Finds the nodes WebGPU would fail on and names the unnamed ones
 * (uniquely), so that they can be listed in `forceCpuNodeNames`.
 *
 * @example
 * ```ts
 * const { graph: named, cpuNodes } = pinToCpu(graph); // cpuNodes: ["MaxPool_cpu_0_0"]
 * ```
 */
export function pinToCpu(graph: Graph): CpuPinnedGraph {
  if (!graph.nodes.some(failsOnWebGpu)) return { graph, cpuNodes: [] };
  const taken = new Set(graph.nodes.map((n) => n.name).filter((name) => name !== undefined));
  const cpuNodes: string[] = [];
  const nodes = graph.nodes.map((node, index) => {
    if (!failsOnWebGpu(node)) return node;
    let name = node.name;
    for (let k = 0; name === undefined || (name !== node.name && taken.has(name)); k++) name = `${node.op}_cpu_${index}_${k}`;
    taken.add(name);
    cpuNodes.push(name);
    return name === node.name ? node : { ...node, name };
  });
  return { graph: { ...graph, nodes }, cpuNodes };
}
