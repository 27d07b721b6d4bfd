/**
 * The short path from a TypeScript function to something that runs:
 * trace, lower to a graph, compile on a runtime (cached by graph hash).
 */
import { compile, simplify, type CompiledGraph, type CompileOptions, type Graph, type Tensor } from "@curv/tensor";
import { trace, type InputSpec, type Program, type TraceResult } from "./core/program.js";
import type { Value } from "./core/value.js";
import { lowerProgram } from "./lower/lower-program.js";

/** Options of {@link compileFunction}: the runtime's, plus the program's name and opset. */
export interface CompileFunctionOptions extends CompileOptions {
  /** The program's (and graph's) name; default "program". */
  readonly name?: string;
  /** The ONNX opset to target. */
  readonly opset?: number;
  /** Simplify the lowered graph (dead code, constant folding, CSE) before compiling; default true. */
  readonly simplify?: boolean;
}

/** A traced, lowered and compiled function. */
export interface CompiledFunction {
  readonly program: Program;
  readonly graph: Graph;
  readonly compiled: CompiledGraph;
  /** Runs the function on `feeds` (one tensor per input name); returns the outputs by name. */
  run(feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Record<string, Tensor>>;
  /** Releases the compiled program. */
  dispose(): Promise<void>;
}

/**
 * Lowers `program`, simplifies the graph and compiles it on the runtime
 * `options` names (`"js"`, `"ort"`, ...). Compiling an identical program
 * again reuses the runtime's cached session (the cache is keyed by the
 * graph's structural hash).
 *
 * @example
 * ```ts
 * const f = await compileProgram(program, { runtime: "js" });
 * const { output } = await f.run({ x: tensor([1, 2], { dtype: "float64" }) });
 * ```
 */
export async function compileProgram(program: Program, options: CompileFunctionOptions = {}): Promise<CompiledFunction> {
  const { name: _name, opset, simplify: shouldSimplify = true, ...compileOptions } = options;
  void _name;
  const lowered = lowerProgram(program, opset === undefined ? {} : { opset });
  const graph = shouldSimplify ? simplify(lowered) : lowered;
  const compiled = await compile(graph, compileOptions);
  return {
    program,
    graph,
    compiled,
    run: (feeds, fetches) => compiled.run(feeds, fetches),
    dispose: () => compiled.dispose(),
  };
}

/**
 * Traces `fn` over inputs of the given specs, lowers it and compiles it.
 *
 * @example
 * ```ts
 * const f = await compileFunction(
 *   ({ w, x }) => ({ loss: reduceSum(mul(matmul(x, w), matmul(x, w))) }),
 *   { w: { dtype: "float64", shape: [3, 1] }, x: { dtype: "float64", shape: ["batch", 3] } },
 *   { runtime: "js" },
 * );
 * const { loss } = await f.run({ w, x });
 * ```
 */
export function compileFunction(
  fn: (inputs: Record<string, Value>) => TraceResult,
  specs: Readonly<Record<string, InputSpec>>,
  options: CompileFunctionOptions = {},
): Promise<CompiledFunction> {
  return compileProgram(trace(fn, specs, options.name ?? "program"), options);
}
