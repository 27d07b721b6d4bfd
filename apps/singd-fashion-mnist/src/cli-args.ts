import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The command line of the app. */
export interface AppArguments {
  readonly outDir: string;
  readonly epochs: number;
  readonly batchSize: number;
  /** Use only the first N examples of the (shuffled) training set; default all 60,000. */
  readonly trainLimit: number | undefined;
  /** Evaluate on the first N test examples; default all 10,000. */
  readonly testLimit: number | undefined;
  readonly seed: number;
  readonly evalsPerEpoch: number;
  /** Names of the optimizers to run (default all). */
  readonly optimizers: readonly string[] | undefined;
  /** `undefined`: the default (`CURV_PROVIDER`, else ONNX Runtime's CPU provider). */
  readonly provider: "cpu" | "cuda" | "webgpu" | "js" | undefined;
  /** Where the IDX files are. */
  readonly dataDir: string | undefined;
  /** Reproduce SINGD's block-diagonal products (no transposes) instead of curv's, for a side-by-side with SINGD's code. */
  readonly singdBlockDiagonalQuirk: boolean;
}

const PROVIDERS = ["cpu", "cuda", "webgpu", "js"] as const;

/** The usage text printed for `--help` and after a bad argument. */
export const USAGE = `usage: pnpm --filter singd-fashion-mnist start -- [options]
  --epochs N           epochs of training (default 1)
  --batch-size N       examples per step (default 128)
  --train-limit N      train on the first N examples of each epoch's shuffled order (default: all 60000)
  --test-limit N       evaluate on the first N test images (default: all 10000)
  --optimizers A,B     run only these (names as in the table, e.g. AdamW,SGD,SINGD-diagonal)
  --evals-per-epoch N  test-accuracy points per epoch (default 10)
  --seed N             initial weights and data order (default 0)
  --provider NAME      cpu | cuda | webgpu | js
  --data DIR           folder of the IDX files (default /usr/share/datasets/fashion-mnist)
  --out DIR            where the pictures and tables go (default out/singd-fashion-mnist in the repository)
  --singd-block-diagonal-quirk
                       block-diagonal SINGD as SINGD's code computes it (no transposes; see @curv/singd's README)`;

const INTEGER_FLAGS = { "--epochs": "epochs", "--batch-size": "batchSize", "--train-limit": "trainLimit", "--test-limit": "testLimit", "--seed": "seed", "--evals-per-epoch": "evalsPerEpoch" } as const;

/**
 * Reads the flags of {@link USAGE} (`--flag value` or `--flag=value`). A
 * relative DIR is taken from `cwd` (pnpm keeps the user's folder in
 * `INIT_CWD`). A lone `--`, which pnpm may pass on, is skipped.
 *
 * @throws Error with {@link USAGE} for an unknown flag or a missing or bad value.
 */
export function parseAppArguments(argv: readonly string[], cwd: string, repoRoot: string): AppArguments {
  const parsed: Record<string, unknown> = { outDir: join(repoRoot, "out", "singd-fashion-mnist"), epochs: 1, batchSize: 128, seed: 0, evalsPerEpoch: 10, singdBlockDiagonalQuirk: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (arg === "--singd-block-diagonal-quirk") {
      parsed.singdBlockDiagonalQuirk = true;
      continue;
    }
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const known = flag in INTEGER_FLAGS || ["--out", "--provider", "--optimizers", "--data"].includes(flag);
    if (!known) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (!value) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag in INTEGER_FLAGS) {
      const n = Number(value);
      const min = flag === "--seed" ? 0 : 1;
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer >= ${min}, got "${value}"\n${USAGE}`);
      parsed[INTEGER_FLAGS[flag as keyof typeof INTEGER_FLAGS]] = n;
    } else if (flag === "--out") parsed.outDir = resolve(cwd, value);
    else if (flag === "--data") parsed.dataDir = resolve(cwd, value);
    else if (flag === "--optimizers") parsed.optimizers = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
    else {
      if (!(PROVIDERS as readonly string[]).includes(value)) throw new Error(`--provider must be one of ${PROVIDERS.join(", ")}, got "${value}"\n${USAGE}`);
      parsed.provider = value;
    }
  }
  return parsed as unknown as AppArguments;
}

/** The nearest folder at or above `start` that holds `pnpm-workspace.yaml`, else `start`. */
export function findRepoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}
