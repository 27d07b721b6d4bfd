/**
 * The implementation of {@link CompiledGraph}: checks feeds and fetches, runs
 * the backend's session, and counts the users that share it through the
 * compile cache.
 */
import { RuntimeError } from "../errors.js";
import { checkGraphFeeds } from "../graph/index.js";
import type { Graph, ValueInfo } from "../graph/ir.js";
import type { Tensor } from "../tensor.js";
import type { Session } from "./backend.js";
import type { CompiledGraph } from "./compiled-graph.js";
import type { ProviderName, RuntimeName } from "./providers.js";
import { resolveFetches } from "./resolve-fetches.js";

export class CompiledGraphImpl implements CompiledGraph {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly runtime: RuntimeName;
  readonly provider: ProviderName;
  readonly #graph: Graph;
  readonly #checkFinite: boolean;
  readonly #session: Session;
  /** Called once, when the last user disposes: the cache forgets this graph. */
  readonly #onRelease: () => void;
  #users = 1;

  constructor(
    graph: Graph,
    runtime: RuntimeName,
    provider: ProviderName,
    session: Session,
    { checkFinite = false, onRelease }: { checkFinite?: boolean; onRelease: () => void },
  ) {
    this.inputs = graph.inputs;
    this.outputs = graph.outputs;
    this.runtime = runtime;
    this.provider = provider;
    this.#graph = graph;
    this.#checkFinite = checkFinite;
    this.#session = session;
    this.#onRelease = onRelease;
  }

  /** Adds a user (another `compile` of the same graph returned this object). */
  retain(): this {
    this.#users++;
    return this;
  }

  /** Whether every user has disposed. */
  get released(): boolean {
    return this.#users === 0;
  }

  async run(feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Record<string, Tensor>> {
    if (this.released) {
      throw new RuntimeError(`${this.runtime}/${this.provider}: graph "${this.#graph.name}" was disposed; compile it again to run it`);
    }
    const names = resolveFetches(this.#graph.name, this.outputs, fetches);
    checkGraphFeeds(this.#graph, feeds, { checkFinite: this.#checkFinite });
    return this.#session.run(feeds, names);
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.#users--;
    if (!this.released) return;
    this.#onRelease();
    await this.#session.dispose();
  }
}
