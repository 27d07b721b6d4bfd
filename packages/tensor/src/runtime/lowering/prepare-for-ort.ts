/**
 * What the ORT backends load instead of the user's graph: the same
 * computation, rewritten where a provider of onnxruntime 1.30 would fail on
 * it. The user's graph is never changed.
 */
import type { Graph } from "../../graph/ir.js";
import type { ProviderName } from "../providers.js";
import { explicitWindowAttributes } from "./explicit-window-attributes.js";
import { lowerForOrt } from "./lower-for-ort.js";
import { trimOptionalInputs } from "./trim-optional-inputs.js";
import { applyLowerings } from "./apply-lowerings.js";
import { webGpuLoweringOf } from "./web-gpu-lowerings.js";
import { pinToCpu } from "./webgpu-cpu-nodes.js";

/** The graph for ORT, and the nodes the WebGPU provider must leave to the CPU. */
export interface OrtPreparedGraph {
  readonly graph: Graph;
  /** Names for the WebGPU provider's `forceCpuNodeNames` (empty for other providers). */
  readonly cpuNodes: readonly string[];
}

/**
 * The graph to load on `provider` of ORT `runtime`: trailing omitted inputs
 * dropped; for WebGPU, window attributes written out and the nodes its
 * kernels mishandle named for the CPU (onnxruntime-node) or rewritten
 * (onnxruntime-web, which cannot be told to use the CPU); float64 nodes the
 * CPU kernels lack lowered (see {@link lowerForOrt}).
 *
 * @example
 * ```ts
 * const { graph: prepared, cpuNodes } = prepareForOrt(graph, "ort", "webgpu");
 * const bytes = encodeOnnx(prepared);
 * ```
 */
export function prepareForOrt(graph: Graph, runtime: "ort" | "ort-web", provider: ProviderName): OrtPreparedGraph {
  const trimmed = trimOptionalInputs(graph);
  if (provider !== "webgpu") return { graph: lowerForOrt(trimmed, provider), cpuNodes: [] };
  const explicit = explicitWindowAttributes(trimmed);
  if (runtime === "ort-web") return { graph: lowerForOrt(applyLowerings(explicit, webGpuLoweringOf), provider), cpuNodes: [] };
  const pinned = pinToCpu(explicit);
  return { graph: lowerForOrt(pinned.graph, provider), cpuNodes: pinned.cpuNodes };
}
