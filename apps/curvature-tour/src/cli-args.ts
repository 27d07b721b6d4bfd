import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Where the tour runs and writes: `--provider` and `--out`. */
export interface TourArguments {
  readonly outDir: string;
  /** `undefined`: the default (`CURV_PROVIDER`, else ONNX Runtime's CPU provider). */
  readonly provider: "cpu" | "cuda" | "webgpu" | "js" | undefined;
}

const PROVIDERS = ["cpu", "cuda", "webgpu", "js"] as const;

/** The usage line printed for `--help` and after a bad argument. */
export const USAGE =
  "usage: pnpm --filter curvature-tour start -- [--provider cpu|cuda|webgpu|js] [--out DIR]   (default DIR: out/curvature-tour in the repository)";

/**
 * Reads `--out DIR` and `--provider NAME` (or `--flag=value`). A relative DIR
 * is taken from `cwd`, the folder the user ran pnpm in (pnpm runs the script
 * in the app's folder and keeps the user's in `INIT_CWD`). A lone `--`,
 * which pnpm may pass on, is skipped.
 *
 * @throws Error with {@link USAGE} for an unknown argument or a missing or bad value.
 */
export function parseTourArguments(argv: readonly string[], cwd: string, repoRoot: string): TourArguments {
  let outDir = join(repoRoot, "out", "curvature-tour");
  let provider: TourArguments["provider"];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag !== "--out" && flag !== "--provider") throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (!value) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === "--out") {
      outDir = resolve(cwd, value);
    } else {
      if (!(PROVIDERS as readonly string[]).includes(value)) throw new Error(`--provider must be one of ${PROVIDERS.join(", ")}, got "${value}"\n${USAGE}`);
      provider = value as TourArguments["provider"];
    }
  }
  return { outDir, provider };
}

/** The nearest folder at or above `start` that holds `pnpm-workspace.yaml`, else `start`. */
export function findRepoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}
