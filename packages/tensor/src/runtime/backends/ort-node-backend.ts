/**
 * The `ort` runtime: onnxruntime-node, with its CPU, CUDA and WebGPU
 * providers. onnxruntime-node is imported on first use, so importing
 * @curv/tensor loads no native library.
 */
import { RuntimeError } from "../../errors.js";
import type { Graph } from "../../graph/ir.js";
import type { Backend, BackendOptions } from "../backend.js";
import { prepareForOrt } from "../lowering/index.js";
import type { ProviderName, ProviderSpec } from "../providers.js";
import type { OrtApi, OrtSessionOptions } from "./ort-api.js";
import { OrtSession } from "./ort-session.js";
import { probeProvider } from "./probe-provider.js";
import { CUDA_INSTALL_HELP, webGpuNodeHelp } from "./provider-help.js";
import { messageOf } from "../message-of.js";

type OrtNodeModule = typeof import("onnxruntime-node");

let loading: Promise<OrtNodeModule> | undefined;

/** Imports onnxruntime-node once; a RuntimeError when its native library does not load. */
function loadOnnxruntimeNode(): Promise<OrtNodeModule> {
  loading ??= import("onnxruntime-node").catch((error: unknown) => {
    loading = undefined;
    throw new RuntimeError(`onnxruntime-node could not be loaded (${process.platform}/${process.arch}): ${messageOf(error)}`, { cause: error });
  });
  return loading;
}

/**
 * ORT session options for one provider: only that provider (ORT adds CPU as
 * fallback), graph optimization up to "extended"; `cpuNodes` go to WebGPU's
 * `forceCpuNodeNames`.
 *
 * Not "all": on x86 its one addition is the NCHWc layout, which ORT applies
 * only to convolutions with constant weights. In curv's graphs those are
 * the one-hot kernels of `unfold` and of pooling composites, and the layout
 * makes them slower: the 9 output channels are padded to a block of 16 and
 * every result is reordered back. CNN gradients run about 10% faster on
 * the CPU provider without it.
 *
 * Graphs that compute in float64 get "basic" (constant folding and the
 * removal of redundant nodes) instead: "extended"'s fusions are written for
 * float32, and its LayerNorm fusion stores the epsilon of a decomposed layer
 * norm as a float32 attribute (1e-5 becomes 9.99999975e-6), which moved a
 * Transformer's float64 GGN by 3e-8 relative (fixtures/transformer-dev).
 */
function sessionOptions(provider: ProviderSpec, { threads }: BackendOptions, cpuNodes: readonly string[] = [], float64 = false): OrtSessionOptions {
  return {
    executionProviders: [cpuNodes.length === 0 ? { ...provider } : { ...provider, forceCpuNodeNames: cpuNodes }],
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
    graphOptimizationLevel: float64 ? "basic" : "extended",
    // ORT logs a warning for every node it leaves to the CPU fallback; errors reach curv as exceptions anyway.
    logSeverityLevel: 3,
  };
}

/** What to add to ORT's reason when `provider` does not start. */
function helpFor(provider: ProviderName): string {
  if (provider === "cuda") return ` ${CUDA_INSTALL_HELP}`;
  if (provider === "webgpu") return ` ${webGpuNodeHelp(process.env.VK_ICD_FILENAMES)}`;
  return "";
}

/**
 * The onnxruntime-node backend.
 *
 * @example
 * ```ts
 * const program = await compile(graph, { runtime: "ort", providers: ["cuda", "cpu"] });
 * program.provider; // "cpu" where the CUDA libraries are absent
 * ```
 */
export const ortNodeBackend: Backend<ProviderName<"ort">> = {
  runtime: "ort",

  async init(provider, options) {
    const ort = await loadOnnxruntimeNode();
    const version = ort.env.versions.node ?? "";
    const supported = ort.listSupportedBackends().map((b) => b.name);
    if (!supported.includes(provider.name)) {
      throw new RuntimeError(
        `onnxruntime-node ${version} on ${process.platform}/${process.arch} has no ${provider.name} provider ` +
          `(it has ${supported.join(", ")}).${helpFor(provider.name)}`,
      );
    }
    try {
      await probeProvider(ort as unknown as OrtApi, sessionOptions(provider, options));
    } catch (error) {
      throw new RuntimeError(`onnxruntime-node ${version} could not start its ${provider.name} provider: ${messageOf(error)}.${helpFor(provider.name)}`, {
        cause: error,
      });
    }
  },

  async createSession(graph: Graph, provider, options) {
    const ort = (await loadOnnxruntimeNode()) as unknown as OrtApi;
    const label = { runtime: "ort", provider: provider.name, graph: graph.name };
    const prepared = prepareForOrt(graph, "ort", provider.name);
    const float64 = [...graph.inputs, ...graph.outputs].some((value) => value.dtype === "float64");
    return OrtSession.create(ort, prepared.graph, sessionOptions(provider, options, prepared.cpuNodes, float64), label);
  },
};
