/**
 * Runtimes, their execution providers, and the options each provider takes.
 *
 * Provider options are typed by a map keyed on the provider name, as in
 * onnxruntime-common's `ExecutionProviderOptionMap`: a provider is chosen
 * either by its name (`"cpu"`) or by an object whose `name` field selects its
 * option type (`{ name: "cuda", deviceId: 1 }`).
 */
import { ValueError } from "../errors.js";

/**
 * Where a compiled graph runs: `ort` is onnxruntime-node (Node), `ort-web` is
 * onnxruntime-web (browsers), `js` is curv's TypeScript reference interpreter
 * (everywhere).
 */
export type RuntimeName = "ort" | "ort-web" | "js";

/** The execution providers of each runtime; the first one listed is its default. */
export interface RuntimeProviderMap {
  ort: "cpu" | "cuda" | "webgpu";
  "ort-web": "wasm" | "webgpu";
  js: "js";
}

/** An execution provider of `R` (of any runtime by default). */
export type ProviderName<R extends RuntimeName = RuntimeName> = RuntimeProviderMap[R];

/** The providers of each runtime, default first. */
export const RUNTIME_PROVIDERS: { readonly [R in RuntimeName]: readonly ProviderName<R>[] } = {
  ort: ["cpu", "cuda", "webgpu"],
  "ort-web": ["wasm", "webgpu"],
  js: ["js"],
};

/** Options of ORT's CPU provider. */
export interface CpuProviderOptions {
  /** Let ORT pool CPU buffers in its arena allocator (ORT's default: true). */
  useArena?: boolean;
}

/** Options of ORT's CUDA provider. */
export interface CudaProviderOptions {
  /** Which GPU to run on (default 0). */
  deviceId?: number;
}

/** Options of ORT's WebGPU provider (Node and browsers). */
export interface WebGpuProviderOptions {
  /** Layout for layout-sensitive operators such as Conv (ORT's default: NCHW). */
  preferredLayout?: "NCHW" | "NHWC";
  /** How much WebGPU validation ORT does (ORT's default: "basic"). */
  validationMode?: "disabled" | "wgpuOnly" | "basic" | "full";
}

/** Options of onnxruntime-web's WebAssembly (CPU) provider; it has none yet. */
export type WasmProviderOptions = Record<never, never>;

/** Options of the `js` runtime's interpreter; it has none yet. */
export type JsProviderOptions = Record<never, never>;

/** The options of every provider, keyed by provider name. */
export interface ProviderOptionMap {
  cpu: CpuProviderOptions;
  cuda: CudaProviderOptions;
  webgpu: WebGpuProviderOptions;
  wasm: WasmProviderOptions;
  js: JsProviderOptions;
}

/** The option names of each provider, for checking options given at run time. */
const PROVIDER_OPTION_NAMES: { readonly [P in ProviderName]: readonly (keyof ProviderOptionMap[P])[] } = {
  cpu: ["useArena"],
  cuda: ["deviceId"],
  webgpu: ["preferredLayout", "validationMode"],
  wasm: [],
  js: [],
};

/** A provider with its options: `{ name: "cuda", deviceId: 1 }`. */
export type ProviderSpec<P extends ProviderName = ProviderName> = {
  [K in P]: { readonly name: K } & Readonly<ProviderOptionMap[K]>;
}[P];

/** A provider by name, or by name with options. */
export type ProviderChoice<P extends ProviderName = ProviderName> = P | ProviderSpec<P>;

/** The runtime that owns provider `name` among `runtimes`, or undefined. */
export function runtimeOfProvider(name: string, runtimes: readonly RuntimeName[]): RuntimeName | undefined {
  return runtimes.find((r) => (RUNTIME_PROVIDERS[r] as readonly string[]).includes(name));
}

/**
 * The spec form of a provider choice of `runtime`, checked: a name unknown to
 * the runtime, or an option unknown to the provider, is a ValueError listing
 * what is known.
 */
export function toProviderSpec<R extends RuntimeName>(runtime: R, choice: ProviderChoice): ProviderSpec<ProviderName<R>> {
  const spec = (typeof choice === "string" ? { name: choice } : choice) as ProviderSpec;
  const known = RUNTIME_PROVIDERS[runtime] as readonly string[];
  if (typeof spec !== "object" || spec === null || !known.includes(spec.name)) {
    const given = typeof choice === "string" ? `"${choice}"` : JSON.stringify(choice);
    throw new ValueError(`providers: runtime "${runtime}" has providers ${known.map((p) => `"${p}"`).join(", ")}; got ${given}`);
  }
  const options = PROVIDER_OPTION_NAMES[spec.name] as readonly string[];
  const unknown = Object.keys(spec).filter((key) => key !== "name" && !options.includes(key));
  if (unknown.length > 0) {
    const list = options.length === 0 ? "it takes none" : `it takes ${options.join(", ")}`;
    throw new ValueError(`providers: provider "${spec.name}" has no option ${unknown.map((k) => `"${k}"`).join(", ")} (${list})`);
  }
  return spec as ProviderSpec<ProviderName<R>>;
}

/**
 * A canonical string for a provider spec (keys sorted), for cache keys and
 * messages: `cuda{"deviceId":1}`, or just `cpu` without options.
 */
export function describeProvider(spec: ProviderSpec): string {
  const entries = Object.entries(spec)
    .filter(([key, value]) => key !== "name" && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? spec.name : `${spec.name}${JSON.stringify(Object.fromEntries(entries))}`;
}
