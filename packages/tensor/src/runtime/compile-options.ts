/**
 * The options of `compile` and how they resolve, on one platform, to a
 * runtime and an ordered list of providers.
 */
import { RuntimeError, ValueError } from "../errors.js";
import type { Backend, WasmPaths } from "./backend.js";
import {
  RUNTIME_PROVIDERS,
  runtimeOfProvider,
  toProviderSpec,
  type ProviderChoice,
  type ProviderName,
  type ProviderSpec,
  type RuntimeName,
} from "./providers.js";

/** Options of `compile`. */
export interface CompileOptions<R extends RuntimeName = RuntimeName> {
  /**
   * The runtime: `"ort"` (Node) or `"ort-web"` (browsers) or `"js"`. Defaults
   * to the runtime of `providers[0]`, else to the platform's ORT runtime.
   */
  runtime?: R;
  /**
   * Providers in order of preference, each a name or `{ name, ...options }`;
   * the first that starts is used. Default: the `CURV_PROVIDER` environment
   * variable in Node (e.g. `"webgpu,cpu"`), else the runtime's default
   * provider (`cpu`, `wasm`, `js`).
   */
  providers?: readonly ProviderChoice<ProviderName<R>>[];
  /**
   * Threads per operator: ORT's intra-op thread count in Node, the number of
   * wasm threads in browsers (fixed for the page by the first compile;
   * more than one needs a cross-origin isolated page). The `js` runtime is
   * single-threaded and accepts only 1. Default: the runtime's choice.
   */
  threads?: number;
  /**
   * ort-web only: where onnxruntime-web fetches its `.wasm`/`.mjs` files,
   * a folder URL ending in `/` or `{ mjs, wasm }` URLs (sets
   * `ort.env.wasm.wasmPaths`). Default: next to onnxruntime-web's module.
   */
  wasmPaths?: WasmPaths;
  /**
   * Reject NaN and infinite entries of float feeds on every run, with a
   * ValueError naming the input and the entry (default false).
   */
  checkFinite?: boolean;
}

/** A platform's offer: its backends (default runtime first) and provider preference. */
export interface Platform {
  /** Where the entry point runs, for messages ("Node", "browsers"). */
  readonly name: string;
  /** The runtimes available, the default one first. */
  readonly backends: readonly Backend[];
  /** The provider preference used when a compile names none (Node: `CURV_PROVIDER`). */
  preferredProviders(): readonly string[] | undefined;
}

/** What a compile resolves to: a backend and the providers to try, in order. */
export interface CompileTarget {
  readonly backend: Backend;
  readonly providers: readonly ProviderSpec[];
}

function findBackend(platform: Platform, runtime: string): Backend {
  const backend = platform.backends.find((b) => b.runtime === runtime);
  if (backend !== undefined) return backend;
  const offered = platform.backends.map((b) => `"${b.runtime}"`).join(", ");
  if (runtime in RUNTIME_PROVIDERS) {
    throw new RuntimeError(`runtime "${runtime}" is not available in ${platform.name}; the runtimes here are ${offered}`);
  }
  throw new ValueError(`runtime: unknown runtime "${runtime}"; the runtimes here are ${offered}`);
}

/** The runtime owning every name of `names`, or a ValueError naming `source`. */
function runtimeOfList(platform: Platform, names: readonly string[], source: string): RuntimeName {
  const runtimes = platform.backends.map((b) => b.runtime);
  const owners = names.map((name) => {
    const owner = runtimeOfProvider(name, runtimes);
    if (owner === undefined) {
      const known = runtimes.map((r) => `${r}: ${RUNTIME_PROVIDERS[r].join(", ")}`).join("; ");
      throw new ValueError(`${source}: unknown provider "${name}" in ${platform.name} (providers by runtime: ${known})`);
    }
    return owner;
  });
  const distinct = [...new Set(owners)];
  if (distinct.length > 1) {
    throw new ValueError(`${source}: providers [${names.join(", ")}] belong to different runtimes (${distinct.join(", ")}); list one runtime's providers`);
  }
  return owners[0];
}

function choiceName(choice: ProviderChoice): string {
  return typeof choice === "string" ? choice : String((choice as { name?: unknown })?.name);
}

/**
 * Resolves `options` on `platform`: explicit providers decide the runtime
 * when none is named; otherwise `CURV_PROVIDER`-style preferences apply when
 * they name providers of the runtime asked for.
 *
 * @throws {ValueError} for an unknown runtime or provider, an empty provider list, or a bad thread count.
 * @throws {RuntimeError} for a runtime this platform does not offer.
 */
export function resolveCompileTarget(platform: Platform, options: CompileOptions): CompileTarget {
  const { threads } = options;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new ValueError(`threads: expected a positive integer, got ${String(threads)}`);
  }
  let runtime = options.runtime as string | undefined;
  let choices: readonly ProviderChoice[] | undefined = options.providers;
  if (choices !== undefined) {
    if (!Array.isArray(choices) || choices.length === 0) {
      throw new ValueError(`providers: expected a non-empty list of providers, got ${JSON.stringify(choices)}`);
    }
    runtime ??= runtimeOfList(platform, choices.map(choiceName), "providers");
  } else {
    const preferred = platform.preferredProviders();
    if (preferred !== undefined && preferred.length > 0) {
      const owner = runtimeOfList(platform, preferred, "CURV_PROVIDER");
      if (runtime === undefined || runtime === owner) {
        runtime = owner;
        choices = preferred as ProviderChoice[];
      }
    }
  }
  const backend = findBackend(platform, runtime ?? platform.backends[0].runtime);
  choices ??= [RUNTIME_PROVIDERS[backend.runtime][0]];
  if (backend.runtime === "js" && threads !== undefined && threads !== 1) {
    throw new ValueError(`threads: the js runtime runs on one thread; got ${threads}`);
  }
  return { backend, providers: choices.map((choice) => toProviderSpec(backend.runtime, choice)) };
}
