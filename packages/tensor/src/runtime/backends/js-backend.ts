/**
 * The `js` runtime: curv's reference interpreter (`evaluateGraph`) on the
 * host kernels. It runs everywhere, in float32 and float64, and is the
 * reference the ORT runtimes are tested against.
 */
import { evaluateGraph } from "../../graph/index.js";
import type { Backend } from "../backend.js";
import type { ProviderName } from "../providers.js";

/**
 * The interpreter backend; its one provider, `js`, always starts.
 *
 * @example
 * ```ts
 * const program = await compile(graph, { runtime: "js" });
 * ```
 */
export const jsBackend: Backend<ProviderName<"js">> = {
  runtime: "js",

  async init() {
    // Nothing to load: the interpreter is plain TypeScript.
  },

  async createSession(graph) {
    return {
      run: async (feeds, fetches) => evaluateGraph(graph, feeds, fetches),
      dispose: async () => {},
    };
  },
};
