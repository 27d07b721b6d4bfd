// Public API of src/runtime: every export is named here. `compile` itself is
// exported by the platform entry points (index.ts for Node, index.browser.ts
// for browsers), each bound to the backends that platform offers.
export {
  RUNTIME_PROVIDERS,
  type CpuProviderOptions,
  type CudaProviderOptions,
  type JsProviderOptions,
  type ProviderChoice,
  type ProviderName,
  type ProviderOptionMap,
  type ProviderSpec,
  type RuntimeName,
  type RuntimeProviderMap,
  type WasmProviderOptions,
  type WebGpuProviderOptions,
} from "./providers.js";
export type { Backend, BackendOptions, Session, WasmPaths } from "./backend.js";
export type { CompiledGraph } from "./compiled-graph.js";
export type { CompileOptions, Platform } from "./compile-options.js";
export { createCompiler, type Compile } from "./compiler.js";
export { jsBackend } from "./backends/js-backend.js";
export { parseProviderList } from "./provider-preference.js";
export { lowerForOrt, prepareForOrt } from "./lowering/index.js";
