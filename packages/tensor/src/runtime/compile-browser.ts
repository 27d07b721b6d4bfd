/**
 * `compile` in browsers: the `ort-web` runtime (onnxruntime-web: wasm,
 * webgpu) by default, and the `js` interpreter.
 */
import { jsBackend } from "./backends/js-backend.js";
import { ortWebBackend } from "./backends/ort-web-backend.js";
import type { Platform } from "./compile-options.js";
import { createCompiler, type Compile } from "./compiler.js";

/** What browsers offer: onnxruntime-web first, then the interpreter. */
export const browserPlatform: Platform = {
  name: "browsers",
  backends: [ortWebBackend, jsBackend],
  preferredProviders: () => undefined,
};

/**
 * Compiles a graph for a runtime, trying the preferred providers in order and
 * using the first that starts; compiling the same graph again returns the
 * cached program. In browsers the default is `ort-web` on `wasm`.
 *
 * @throws {RuntimeError} when no provider starts (listing each and why), or
 * when the runtime rejects the graph.
 * @throws {ValueError} for unknown runtimes, providers or options.
 *
 * @example
 * ```ts
 * const program = await compile(graph, { providers: ["webgpu", "wasm"], wasmPaths: "/ort/" });
 * const { y } = await program.run({ x });
 * ```
 */
export const compile: Compile = /* @__PURE__ */ createCompiler(browserPlatform);
