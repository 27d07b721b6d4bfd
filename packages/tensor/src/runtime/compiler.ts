/**
 * `compile`: a graph to a program on the first provider that starts, cached
 * by the graph's structural hash, the runtime, the provider and the options.
 */
import { CurvError, RuntimeError } from "../errors.js";
import { hashGraph, validateGraph } from "../graph/index.js";
import type { Graph } from "../graph/ir.js";
import type { Backend, BackendOptions } from "./backend.js";
import { CompileCache } from "./compile-cache.js";
import { resolveCompileTarget, type CompileOptions, type Platform } from "./compile-options.js";
import type { CompiledGraph } from "./compiled-graph.js";
import { CompiledGraphImpl } from "./compiled-graph-impl.js";
import { messageOf } from "./message-of.js";
import { describeProvider, type ProviderSpec, type RuntimeName } from "./providers.js";
import { noProviderStarted, ProviderStarter, type ProviderFailure } from "./provider-starter.js";

/** The signature of `compile`. */
export type Compile = <R extends RuntimeName = RuntimeName>(graph: Graph, options?: CompileOptions<R>) => Promise<CompiledGraph>;

/** What one compile asks of a provider, beside the graph. */
interface ProgramRequest {
  readonly graph: Graph;
  readonly backend: Backend;
  readonly provider: ProviderSpec;
  readonly options: BackendOptions;
  readonly checkFinite: boolean;
}

async function createProgram(request: ProgramRequest, onRelease: () => void): Promise<CompiledGraphImpl> {
  const { graph, backend, provider, options, checkFinite } = request;
  // A malformed graph gets curv's error naming the node, not the runtime's.
  validateGraph(graph);
  try {
    const session = await backend.createSession(graph, provider, options);
    return new CompiledGraphImpl(graph, backend.runtime, provider.name, session, { checkFinite, onRelease });
  } catch (error) {
    // Backends throw CurvErrors that already name themselves; anything else
    // (a runtime's own exception) gets the runtime, provider and graph named.
    if (error instanceof CurvError) throw error;
    throw new RuntimeError(`${backend.runtime}/${provider.name}: could not load graph "${graph.name}": ${messageOf(error)}`, { cause: error });
  }
}

/**
 * The cache key of a graph under some options, without the provider. The
 * structural hash ignores value names, but sessions are fed and fetched by
 * name, so the input and output names are part of the key.
 */
function programKey(graph: Graph, runtime: RuntimeName, options: BackendOptions, checkFinite: boolean): string {
  const names = JSON.stringify([graph.inputs.map((i) => i.name), graph.outputs.map((o) => o.name)]);
  return `${hashGraph(graph)} ${names} ${runtime} ${JSON.stringify(options)} checkFinite=${checkFinite}`;
}

/**
 * Makes the `compile` function of a platform: the Node and browser entry
 * points each call it once with the backends they offer; tests call it with
 * backends of their own.
 *
 * @example
 * ```ts
 * const compileOnInterpreter = createCompiler({
 *   name: "tests",
 *   backends: [jsBackend],
 *   preferredProviders: () => undefined,
 * });
 * const program = await compileOnInterpreter(graph);
 * ```
 */
export function createCompiler(platform: Platform): Compile {
  const cache = new CompileCache();
  const starter = new ProviderStarter();
  return async function compile(graph, compileOptions = {}) {
    const { backend, providers } = resolveCompileTarget(platform, compileOptions);
    const options: BackendOptions = { threads: compileOptions.threads, wasmPaths: compileOptions.wasmPaths };
    const checkFinite = compileOptions.checkFinite ?? false;
    const graphKey = programKey(graph, backend.runtime, options, checkFinite);
    const failures: ProviderFailure[] = [];
    for (const provider of providers) {
      const key = `${graphKey} ${describeProvider(provider)}`;
      const cached = cache.acquire(key);
      if (cached !== undefined) return cached;
      try {
        await starter.start(backend, provider, options);
      } catch (error) {
        failures.push({ provider, error });
        continue;
      }
      // Another compile may have finished this key while the provider started.
      const request = { graph, backend, provider, options, checkFinite };
      return cache.acquire(key) ?? cache.insert(key, (forget) => createProgram(request, forget));
    }
    throw noProviderStarted(backend.runtime, failures);
  };
}
