/**
 * `compile` in Node: the `ort` runtime (onnxruntime-node: cpu, cuda, webgpu)
 * by default, and the `js` interpreter. `CURV_PROVIDER` sets the default
 * provider preference.
 */
import { jsBackend } from "./backends/js-backend.js";
import { ortNodeBackend } from "./backends/ort-node-backend.js";
import type { Platform } from "./compile-options.js";
import { createCompiler, type Compile } from "./compiler.js";
import { parseProviderList } from "./provider-preference.js";

/** What Node offers: onnxruntime-node first, then the interpreter. */
export const nodePlatform: Platform = {
  name: "Node",
  backends: [ortNodeBackend, jsBackend],
  preferredProviders: () => parseProviderList(process.env.CURV_PROVIDER),
};

/**
 * Compiles a graph for a runtime, trying the preferred providers in order and
 * using the first that starts; compiling the same graph again returns the
 * cached program. In Node the default is `ort` on `cpu` (or the providers in
 * `CURV_PROVIDER`, e.g. `"webgpu,cpu"`).
 *
 * Float64 graphs run on ORT's CPU provider even where it lacks a float64
 * kernel (Conv, ConvTranspose, AveragePool, Erf, ...): such nodes are
 * rewritten into operators it has; the graph passed in is not changed.
 *
 * @throws {RuntimeError} when no provider starts (listing each and why), or
 * when the runtime rejects the graph.
 * @throws {ValueError} for unknown runtimes, providers or options.
 *
 * @example
 * ```ts
 * const b = new GraphBuilder("square");
 * const x = b.input("x", "float64", ["batch"]);
 * b.output(b.op("Mul", [x, x]), "y");
 * const program = await compile(b.build(), { providers: ["webgpu", "cpu"], threads: 2 });
 * const { y } = await program.run({ x: tensor([1, 2, 3], { dtype: "float64" }) });
 * y.toArray(); // [1, 4, 9]
 * ```
 */
export const compile: Compile = /* @__PURE__ */ createCompiler(nodePlatform);
