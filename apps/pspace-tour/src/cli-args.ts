// The pspace tour's command-line arguments.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const USAGE = "usage: pnpm --filter pspace-tour start -- [--out DIR] [--runtime js|ort]   (default DIR: out/pspace-tour in the repository)";

/** The nearest folder at or above `start` that holds `pnpm-workspace.yaml`, else `start`. */
export function repoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}

/** `--out DIR` (relative to where pnpm was run) and `--runtime`; a lone `--` is skipped. */
export function parseArguments(argv: readonly string[], cwd: string, root: string): { outDir: string; runtime: "js" | "ort" } {
  let outDir = join(root, "out", "pspace-tour");
  let runtime: "js" | "ort" = "js";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    const value = argv[i + 1];
    if (arg === "--out" && value) outDir = resolve(cwd, argv[++i]);
    else if (arg === "--runtime" && (value === "js" || value === "ort")) runtime = argv[++i] as "js" | "ort";
    else throw new Error(`bad argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { outDir, runtime };
}
