/**
 * The lowering pass run before a graph is handed to ONNX Runtime: nodes whose
 * float64 kernel ORT's CPU provider lacks are rewritten into operators it
 * has. The CPU provider is where float64 runs on `cpu`, on onnxruntime-web's
 * `wasm`, and on `webgpu` too (WebGPU has no float64, so ORT hands those
 * nodes back to the CPU). CUDA has the kernels and is left alone.
 *
 * The graph passed in is never changed; a graph that needs no lowering is
 * returned as it is.
 */
import type { Graph } from "../../graph/ir.js";
import type { ProviderName } from "../providers.js";
import { FLOAT64_CPU_LOWERINGS, float64LoweringOf } from "./float64-cpu-lowerings.js";
import { applyLowerings } from "./apply-lowerings.js";

/** Whether any value of the graph can be float64 (so a float64 node can exist at all). */
function mentionsFloat64(graph: Graph): boolean {
  return (
    graph.inputs.some((i) => i.dtype === "float64") ||
    graph.outputs.some((o) => o.dtype === "float64") ||
    [...graph.constants.values()].some((c) => c.dtype === "float64") ||
    graph.nodes.some((n) => n.op === "Cast" || n.op === "CastLike" || n.op === "ConstantOfShape" || n.op === "Constant")
  );
}

/** Whether graphs for `provider` go through the float64 lowering. */
export function needsFloat64Lowering(provider: ProviderName): boolean {
  return provider === "cpu" || provider === "wasm" || provider === "webgpu";
}

/**
 * The graph ORT should load for `provider`: `graph` itself, or a copy in
 * which every float64 node that ORT's CPU provider cannot run is replaced by
 * an equivalent subgraph of operators it can.
 *
 * @example
 * ```ts
 * const lowered = lowerForOrt(float64ConvGraph, "cpu");
 * lowered.nodes.map((n) => n.op); // ["Pad", "Reshape", "Gather", ..., "MatMul", ...]
 * ```
 */
export function lowerForOrt(graph: Graph, provider: ProviderName): Graph {
  if (!needsFloat64Lowering(provider) || !mentionsFloat64(graph)) return graph;
  if (!graph.nodes.some((n) => FLOAT64_CPU_LOWERINGS.has(n.op))) return graph;
  return applyLowerings(graph, float64LoweringOf);
}
