/**
 * The compile cache: one compiled program per graph structure, runtime,
 * provider and options, so that compiling a graph again (every training step
 * rebuilds its gradient graph, say) costs a hash, not an ORT session.
 */
import type { CompiledGraphImpl } from "./compiled-graph-impl.js";

export class CompileCache {
  /** Pending or finished compilations by key; a failed one is removed. */
  readonly #entries = new Map<string, Promise<CompiledGraphImpl>>();

  /** The number of programs held (pending ones included). */
  get size(): number {
    return this.#entries.size;
  }

  /** The program compiled under `key`, with one more user, or undefined. */
  acquire(key: string): Promise<CompiledGraphImpl> | undefined {
    return this.#entries.get(key)?.then((program) => program.retain());
  }

  /**
   * Compiles under `key` with `create`, which receives the callback that
   * removes the entry (the program calls it when its last user disposes).
   * Concurrent `acquire`s of the same key wait for this compilation.
   */
  insert(key: string, create: (forget: () => void) => Promise<CompiledGraphImpl>): Promise<CompiledGraphImpl> {
    const forget = (): void => {
      if (this.#entries.get(key) === pending) this.#entries.delete(key);
    };
    const pending = create(forget);
    this.#entries.set(key, pending);
    pending.catch(forget);
    return pending;
  }
}
