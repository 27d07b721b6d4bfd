const PROVIDERS = ["cpu", "cuda", "webgpu", "js"] as const;

/** The usage line printed for `--help` and after a bad argument. */
export const USAGE = "usage: pnpm --filter submatrices start -- [--provider cpu|cuda|webgpu|js]";

/**
 * Reads `--provider NAME` (or `--provider=NAME`); `undefined` when absent. A
 * lone `--`, which pnpm may pass on, is skipped.
 *
 * @throws Error with {@link USAGE} for an unknown argument or provider.
 */
export function parseProvider(argv: readonly string[]): (typeof PROVIDERS)[number] | undefined {
  let provider: (typeof PROVIDERS)[number] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (arg !== "--provider" && !arg.startsWith("--provider=")) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const value = arg === "--provider" ? argv[++i] : arg.slice("--provider=".length);
    if (!(PROVIDERS as readonly string[]).includes(value)) throw new Error(`--provider must be one of ${PROVIDERS.join(", ")}, got ${JSON.stringify(value ?? "")}\n${USAGE}`);
    provider = value as (typeof PROVIDERS)[number];
  }
  return provider;
}
