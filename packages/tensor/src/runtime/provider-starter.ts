/**
 * Starting providers in preference order, as onnxruntime-common's backend
 * registry does: try each, remember which started and which failed (so a
 * missing GPU is probed once, not on every compile), and when none starts,
 * report every failure.
 */
import { RuntimeError } from "../errors.js";
import type { Backend, BackendOptions } from "./backend.js";
import { describeProvider, type ProviderSpec } from "./providers.js";

/** Why one provider was passed over. */
export interface ProviderFailure {
  readonly provider: ProviderSpec;
  readonly error: unknown;
}

/**
 * The error thrown when no provider of a preference list starts: it names
 * the runtime and lists each provider tried with its reason, in order.
 */
export function noProviderStarted(runtime: string, failures: readonly ProviderFailure[]): RuntimeError {
  // The reasons are whole sentences from the backends: quoted as they are.
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).trim();
  const lines = failures.map(({ provider, error }) => `  - ${describeProvider(provider)}: ${reason(error)}`);
  const tried = failures.map(({ provider }) => provider.name).join(", ");
  return new RuntimeError(`runtime "${runtime}": no provider could start (tried ${tried}):\n${lines.join("\n")}`, {
    cause: failures.length === 1 ? failures[0].error : new AggregateError(failures.map((f) => f.error)),
  });
}

/** Starts providers and remembers each outcome per backend, provider and options. */
export class ProviderStarter {
  readonly #outcomes = new WeakMap<Backend, Map<string, Promise<void>>>();

  /** Starts `provider` on `backend` once; later calls share the first outcome. */
  start(backend: Backend, provider: ProviderSpec, options: BackendOptions): Promise<void> {
    let outcomes = this.#outcomes.get(backend);
    if (outcomes === undefined) this.#outcomes.set(backend, (outcomes = new Map()));
    const key = `${describeProvider(provider)} ${JSON.stringify(options)}`;
    let outcome = outcomes.get(key);
    if (outcome === undefined) {
      // A synchronous throw inside init becomes a rejection like any other.
      outcome = Promise.resolve().then(() => backend.init(provider, options));
      outcomes.set(key, outcome);
    }
    return outcome;
  }
}
