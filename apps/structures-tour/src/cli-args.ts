import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** What the command line asks for. */
export interface TourArguments {
  readonly outDir: string;
}

/** The usage line printed for `--help` and after a bad argument. */
export const USAGE = "usage: pnpm --filter structures-tour start -- [--out DIR]   (default DIR: out/structures-tour in the repository)";

/**
 * Reads `--out DIR` (or `--out=DIR`). A relative DIR is taken from `cwd`, the
 * folder the user ran pnpm in (pnpm runs the script in the app's folder and
 * keeps the user's in `INIT_CWD`). A lone `--`, which pnpm may pass on, is skipped.
 *
 * @throws Error with {@link USAGE} for an unknown argument or a missing DIR.
 */
export function parseTourArguments(argv: readonly string[], cwd: string, repoRoot: string): TourArguments {
  let outDir = join(repoRoot, "out", "structures-tour");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (arg === "--out" || arg.startsWith("--out=")) {
      const value = arg === "--out" ? argv[++i] : arg.slice("--out=".length);
      if (!value) throw new Error(`--out needs a folder\n${USAGE}`);
      outDir = resolve(cwd, value);
      continue;
    }
    throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { outDir };
}

/** The nearest folder at or above `start` that holds `pnpm-workspace.yaml`, else `start`. */
export function findRepoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}
