/**
 * An operator's compiled programs, one per key (the number of columns K, a
 * batch size, or a name): traced and compiled on first use, shared by
 * concurrent products, forgotten when compiling fails (so a later product
 * tries again), and released together by `dispose`.
 */
import { compileProgram, type CompiledFunction, type Program } from "@curv/autodiff";
import type { CompileOptions } from "@curv/tensor";

export class ProgramCache {
  readonly #compileOptions: CompileOptions;
  readonly #programs = new Map<number | string, Promise<CompiledFunction>>();

  constructor(compileOptions: CompileOptions) {
    this.#compileOptions = compileOptions;
  }

  /** The program under `key`, built by `build` and compiled the first time it is asked for. */
  get(key: number | string, build: () => Program): Promise<CompiledFunction> {
    let program = this.#programs.get(key);
    if (program === undefined) {
      program = compileProgram(build(), this.#compileOptions);
      this.#programs.set(key, program);
      program.catch(() => this.#programs.delete(key));
    }
    return program;
  }

  /** Releases every compiled program; later requests compile again. */
  async dispose(): Promise<void> {
    const programs = [...this.#programs.values()];
    this.#programs.clear();
    const settled = await Promise.allSettled(programs);
    await Promise.all(settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.dispose()] : [])));
  }
}
