import type { Tensor } from "@curv/tensor";
import { compileProgram, type CompiledFunction, type CompileFunctionOptions } from "../compile-function.js";
import type { InputSpec } from "../core/program.js";
import type { Module } from "./module.js";
import { traceModel, type FeedOptions, type TracedModel, type TraceModelOptions } from "./trace-model.js";

/** A model traced and compiled: run it on data with the model's current parameters. */
export interface CompiledModel {
  readonly traced: TracedModel;
  readonly compiled: CompiledFunction;
  /** The model's output on `data`, with the parameters and buffers the model holds now. */
  run(data: Tensor, options?: FeedOptions): Promise<Tensor>;
  /** Releases the compiled program. */
  dispose(): Promise<void>;
}

/**
 * Traces `model` on data of type `dataSpec` and compiles the program on a
 * runtime. Parameters are program inputs, so after `loadStateDict` the
 * same compiled model runs the new values.
 *
 * @example
 * ```ts
 * const compiled = await compileModel(model, { dtype: "float64", shape: ["batch", 7] }, { runtime: "js" });
 * const output = await compiled.run(x, { checkFinite: true });
 * ```
 */
export async function compileModel(model: Module, dataSpec: InputSpec, options: CompileFunctionOptions & TraceModelOptions = {}): Promise<CompiledModel> {
  const { dataName, name, hooks, ...compileOptions } = options;
  const traced = traceModel(model, dataSpec, { dataName, name, hooks });
  const compiled = await compileProgram(traced.program, compileOptions);
  return {
    traced,
    compiled,
    run: async (data, feedOptions) => (await compiled.run(traced.feeds(data, feedOptions), ["output"])).output,
    dispose: () => compiled.dispose(),
  };
}
