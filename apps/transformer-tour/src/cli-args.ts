// The transformer tour's command-line arguments.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { TourOptions } from "./tour.js";

export const USAGE = `usage: pnpm --filter transformer-tour start -- [--out DIR] [--runtime js|ort] [--steps N] [--layers L] [--d-model D] [--curvature-sequences N]
  --out DIR                 where the figures go (default: out/transformer-tour in the repository)
  --runtime js|ort          where programs run (default ort)
  --steps N                 AdamW steps (default 600)
  --layers L                causal encoder layers (default 2)
  --d-model D               model width (default 16)
  --modulus M               sums modulo M (default 5)
  --curvature-sequences N   sequences the curvature is computed on (default 32)`;

/** The nearest folder at or above `start` that holds `pnpm-workspace.yaml`, else `start`. */
export function repoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}

const INTEGER_OPTIONS = { "--steps": "steps", "--layers": "layers", "--d-model": "dModel", "--modulus": "modulus", "--curvature-sequences": "curvatureSequences" } as const;

/** The tour's options from `argv` (`--out` relative to where pnpm was run); a lone `--` is skipped. */
export function parseArguments(argv: readonly string[], cwd: string, root: string): TourOptions {
  const options: { -readonly [K in keyof TourOptions]: TourOptions[K] } = { outDir: join(root, "out", "transformer-tour"), runtime: "ort" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    const value = argv[i + 1];
    if (arg === "--out" && value) options.outDir = resolve(cwd, argv[++i]);
    else if (arg === "--runtime" && (value === "js" || value === "ort")) options.runtime = argv[++i] as "js" | "ort";
    else if (arg in INTEGER_OPTIONS && value !== undefined && /^[1-9]\d*$/.test(value)) {
      options[INTEGER_OPTIONS[arg as keyof typeof INTEGER_OPTIONS]] = Number(argv[++i]);
    } else throw new Error(`bad argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return options;
}
