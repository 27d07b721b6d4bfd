/**
 * The `ort` runtime: onnxruntime-node, with its CPU, CUDA and WebGPU
 * providers. onnxruntime-node is imported on first use, so importing
 * @curv/tensor loads no native library.
 */
import { statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

const LOG_LEVELS = ["verbose", "info", "warning", "error", "fatal"] as const;
type OrtLogLevel = (typeof LOG_LEVELS)[number];

/**
 * ORT's log level, from `CURV_ORT_LOG_LEVEL` (`verbose`, `info`, `warning`,
 * `error`, `fatal`); default `fatal`. ORT's own default, `warning`, prints
 * native lines (telemetry, WebGPU adapters, CUDA libraries it cannot load)
 * straight to stderr, around curv's messages; its errors reach curv as
 * exceptions anyway, and curv's messages say why a provider did not start.
 */
export function ortLogLevel(): OrtLogLevel {
  const level = process.env.CURV_ORT_LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(level ?? "") ? (level as OrtLogLevel) : "fatal";
}

/**
 * ORT's bundled telemetry library (Microsoft's 1DS "MATSDK" PAL) opens an
 * empty `<tmpdir>/mat-debug-<pid>.log` when ORT's environment is created,
 * whatever the log level, and leaves it behind; onnxruntime-node offers no
 * switch for it. curv removes it once the environment exists (the library
 * keeps its descriptor; nothing is ever written to the file).
 */
function removeTelemetryTrace(): void {
  const trace = join(tmpdir(), `mat-debug-${process.pid}.log`);
  try {
    if (statSync(trace).size === 0) unlinkSync(trace);
  } catch {
    // Not created (another ORT build, another TMPDIR at start), or already removed.
  }
}

/** Imports onnxruntime-node once; a RuntimeError when its native library does not load. */
function loadOnnxruntimeNode(): Promise<OrtNodeModule> {
  loading ??= import("onnxruntime-node").then((ort) => {
    // Read by ORT once, when the first session creates its environment.
    ort.env.logLevel = ortLogLevel();
    return ort;
  }).catch((error: unknown) => {
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
 * Graphs over {@link DEEP_GRAPH_NODES} nodes are loaded without ORT's
 * optimizations: each of the ~40 "extended" passes walks the whole graph
 * (and re-resolves it) once per step, about 0.2 s per pass at 24,000 nodes,
 * so a 2000-layer chain spent 12 s finding nothing to fuse (4 s with "basic",
 * 2.3 s with none). curv's own `simplify` has already folded constants and
 * merged common subexpressions, and its programs have a few hundred nodes
 * at most unless the model is that deep (the test suite's largest: 90).
 *
 * Other graphs that compute in float64 get "basic" (constant folding and the
 * removal of redundant nodes) instead: "extended"'s fusions are written for
 * float32, and its LayerNorm fusion stores the epsilon of a decomposed layer
 * norm as a float32 attribute (1e-5 becomes 9.99999975e-6), which moved a
 * Transformer's float64 GGN by 3e-8 relative (fixtures/transformer-dev).
 */
function sessionOptions(provider: ProviderSpec, { threads }: BackendOptions, cpuNodes: readonly string[] = [], { nodeCount = 0, float64 = false } = {}): OrtSessionOptions {
  return {
    executionProviders: [cpuNodes.length === 0 ? { ...provider } : { ...provider, forceCpuNodeNames: cpuNodes }],
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
    graphOptimizationLevel: nodeCount > DEEP_GRAPH_NODES ? "disabled" : float64 ? "basic" : "extended",
    // ORT logs a warning for every node it leaves to the CPU fallback; errors reach curv as exceptions anyway.
    logSeverityLevel: LOG_LEVELS.indexOf(ortLogLevel()) as 0 | 1 | 2 | 3 | 4,
  };
}

/** Above this many nodes, ORT's optimizations cost more to try than they save (see sessionOptions). */
export const DEEP_GRAPH_NODES = 10_000;

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
      removeTelemetryTrace();
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
    const session = await OrtSession.create(ort, prepared.graph, sessionOptions(provider, options, prepared.cpuNodes, { nodeCount: prepared.graph.nodes.length, float64 }), label);
    removeTelemetryTrace();
    return session;
  },
};
