/**
 * The `ort-web` runtime: onnxruntime-web, with its WebAssembly (CPU) and
 * WebGPU providers, imported on first use.
 *
 * The module imported is `onnxruntime-web` itself, whose browser build runs
 * on `ort-wasm-simd-threaded.jsep.wasm`: that build has float64 CPU kernels
 * (as does `onnxruntime-web/all`, which adds WebGL on the same wasm), while
 * the `onnxruntime-web/webgpu` export runs on the `asyncify` build, which
 * has no float64 kernel at all ("Could not find an implementation for
 * Add(14)").
 */
import { RuntimeError } from "../../errors.js";
import type { Backend, BackendOptions, WasmPaths } from "../backend.js";
import { prepareForOrt } from "../lowering/index.js";
import type { ProviderName, ProviderSpec } from "../providers.js";
import type { OrtApi, OrtSessionOptions } from "./ort-api.js";
import { OrtSession } from "./ort-session.js";
import { probeProvider } from "./probe-provider.js";
import { WEBGPU_BROWSER_HELP } from "./provider-help.js";
import { messageOf } from "../message-of.js";

type OrtWebModule = typeof import("onnxruntime-web");

let loading: Promise<OrtWebModule> | undefined;
/** The wasm settings of the first init: onnxruntime-web reads them once, when its wasm module starts. */
let environment: { threads?: number; wasmPaths?: WasmPaths } | undefined;

function loadOnnxruntimeWeb(): Promise<OrtWebModule> {
  loading ??= import("onnxruntime-web").catch((error: unknown) => {
    loading = undefined;
    throw new RuntimeError(`onnxruntime-web could not be loaded: ${messageOf(error)}`, { cause: error });
  });
  return loading;
}

/**
 * Sets `ort.env.wasm` from the first init's options; a later init that asks
 * for other settings is a RuntimeError, since the running wasm module would
 * silently ignore them.
 */
function configureEnvironment(ort: OrtWebModule, { threads, wasmPaths }: BackendOptions): void {
  if (environment === undefined) {
    environment = { threads, wasmPaths };
    if (wasmPaths !== undefined) ort.env.wasm.wasmPaths = wasmPaths as typeof ort.env.wasm.wasmPaths;
    if (threads !== undefined) ort.env.wasm.numThreads = threads;
    return;
  }
  const clash = (asked: unknown, started: unknown) => asked !== undefined && JSON.stringify(asked) !== JSON.stringify(started);
  if (clash(threads, environment.threads) || clash(wasmPaths, environment.wasmPaths)) {
    throw new RuntimeError(
      `onnxruntime-web already started with threads ${String(environment.threads ?? "default")} and wasmPaths ` +
        `${JSON.stringify(environment.wasmPaths ?? "default")}; its wasm module reads them once per page, so ` +
        `threads ${String(threads ?? "default")} and wasmPaths ${JSON.stringify(wasmPaths ?? "default")} cannot apply`,
    );
  }
}

function sessionOptions(provider: ProviderSpec): OrtSessionOptions {
  return { executionProviders: [{ ...provider }], graphOptimizationLevel: "all", logSeverityLevel: 3 };
}

/**
 * The onnxruntime-web backend.
 *
 * @example
 * ```ts
 * // In a browser, serving onnxruntime-web's dist/ folder at /ort/:
 * const program = await compile(graph, { providers: ["webgpu", "wasm"], wasmPaths: "/ort/" });
 * ```
 */
export const ortWebBackend: Backend<ProviderName<"ort-web">> = {
  runtime: "ort-web",

  async init(provider, options) {
    const ort = await loadOnnxruntimeWeb();
    configureEnvironment(ort, options);
    const gpu = typeof navigator === "undefined" ? undefined : (navigator as { gpu?: unknown }).gpu;
    if (provider.name === "webgpu" && gpu === undefined) {
      throw new RuntimeError(`onnxruntime-web cannot start its webgpu provider: ${WEBGPU_BROWSER_HELP}`);
    }
    try {
      await probeProvider(ort as unknown as OrtApi, sessionOptions(provider));
    } catch (error) {
      const help = provider.name === "webgpu" ? ` ${WEBGPU_BROWSER_HELP}` : "";
      throw new RuntimeError(`onnxruntime-web could not start its ${provider.name} provider: ${messageOf(error)}.${help}`, { cause: error });
    }
  },

  async createSession(graph, provider) {
    const ort = (await loadOnnxruntimeWeb()) as unknown as OrtApi;
    const label = { runtime: "ort-web", provider: provider.name, graph: graph.name };
    // onnxruntime-web's WebGPU provider takes no forceCpuNodeNames, so nothing is pinned here.
    return OrtSession.create(ort, prepareForOrt(graph, "ort-web", provider.name).graph, sessionOptions(provider), label);
  },
};
