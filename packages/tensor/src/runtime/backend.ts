/**
 * The backend contract: what a runtime implements so that `compile` can use
 * it. Two methods, as in onnxruntime-common's `Backend`: start a provider,
 * then create sessions on it. Backends store and run; they never compute —
 * everything a session does is in the graph it was given.
 */
import type { Graph } from "../graph/ir.js";
import type { Tensor } from "../tensor.js";
import type { ProviderName, ProviderSpec, RuntimeName } from "./providers.js";

/** Options every backend receives, beside the provider. */
export interface BackendOptions {
  /** Intra-op threads (ORT) or wasm threads (onnxruntime-web); undefined leaves the runtime's default. */
  readonly threads?: number;
  /** Where onnxruntime-web fetches its `.wasm` and `.mjs` files (ort-web only). */
  readonly wasmPaths?: WasmPaths;
}

/**
 * Where onnxruntime-web finds its WebAssembly files: a URL prefix (a folder
 * ending in `/`) or the two files' URLs.
 */
export type WasmPaths = string | { readonly mjs?: string; readonly wasm?: string };

/** A graph loaded on one provider, ready to run. */
export interface Session {
  /**
   * Runs the graph on checked feeds (every graph input, right dtypes and
   * shapes) and returns the requested outputs, all of them named in `fetches`.
   */
  run(feeds: Readonly<Record<string, Tensor>>, fetches: readonly string[]): Promise<Record<string, Tensor>>;
  /** Releases what the session holds; it is not used afterwards. */
  dispose(): Promise<void>;
}

/**
 * One runtime: a way to start its execution providers and to load graphs on
 * them.
 *
 * @example
 * ```ts
 * // A backend that runs every graph on the reference interpreter.
 * const interpreter: Backend<"js"> = {
 *   runtime: "js",
 *   async init() {},
 *   async createSession(graph) {
 *     return {
 *       run: async (feeds, fetches) => evaluateGraph(graph, feeds, fetches),
 *       dispose: async () => {},
 *     };
 *   },
 * };
 * ```
 */
export interface Backend<P extends ProviderName = ProviderName> {
  readonly runtime: RuntimeName;
  /**
   * Starts `provider` (loads libraries, opens the device). Rejects with an
   * error that says why the provider cannot start and, where it can, how to
   * make it start. `compile` calls it once per provider and options and
   * remembers the outcome.
   */
  init(provider: ProviderSpec<P>, options: BackendOptions): Promise<void>;
  /**
   * Loads `graph` on a started provider. Rejects when the runtime cannot
   * load the graph (an operator it lacks, a graph it finds invalid).
   */
  createSession(graph: Graph, provider: ProviderSpec<P>, options: BackendOptions): Promise<Session>;
}
