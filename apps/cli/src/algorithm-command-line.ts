/**
 * `curv trace|diag|eig|spectrum`: the algorithms of `@curv/operators` on a
 * curvature of an ONNX model. The model, data, loss and curvature flags are
 * `curv matrix`'s (parsed by {@link parseCommandLine}); this file adds and
 * checks the algorithm's own flags.
 */
import { parseCommandLine, type CurvatureCommand } from "./command-line.js";
import { UsageError } from "./cli-errors.js";

export const ALGORITHM_COMMANDS = ["trace", "diag", "eig", "spectrum"] as const;
export type AlgorithmCommandName = (typeof ALGORITHM_COMMANDS)[number];

export const TRACE_ESTIMATORS = ["hutchinson", "hutchpp", "xtrace", "exact"] as const;
export const DIAG_ESTIMATORS = ["hutchinson", "xdiag", "exact"] as const;
export const EIG_WHICH = ["LA", "SA", "LM", "SM", "BE"] as const;

/** The algorithm's settings; which fields matter depends on `name`. */
export interface AlgorithmSettings {
  readonly name: AlgorithmCommandName;
  /** `trace`/`diag`: the estimator. */
  readonly estimator: string;
  readonly numMatvecs: number | undefined;
  readonly distribution: "rademacher" | "normal";
  /** Seed of the probes (estimators) or start vectors (eig, spectrum). */
  readonly probeSeed: number;
  /** `eig`. */
  readonly k: number;
  readonly which: (typeof EIG_WHICH)[number];
  readonly tol: number;
  readonly ncv: number | undefined;
  readonly eigenvectorsPath: string | undefined;
  /** `spectrum`. */
  readonly numRepeats: number;
  readonly numPoints: number;
  readonly kappa: number | undefined;
  readonly log: boolean;
  readonly epsilon: number;
  readonly pngPath: string | undefined;
  readonly svgPath: string | undefined;
}

export interface AlgorithmCommand {
  readonly curvature: CurvatureCommand;
  readonly algorithm: AlgorithmSettings;
}

export const ALGORITHM_USAGE = `usage: curv trace    (curv matrix's flags) [--estimator hutchinson|hutchpp|xtrace|exact] [--num-matvecs N] --out TRACE.json
       curv diag     (curv matrix's flags) [--estimator hutchinson|xdiag|exact] [--num-matvecs N] --out DIAG.npy
       curv eig      (curv matrix's flags) [--k 6] [--which LA|SA|LM|SM|BE] [--tol 0] [--ncv N] [--eigenvectors V.npy] --out EIG.json
       curv spectrum (curv matrix's flags) [--ncv N] [--num-repeats 1] [--num-points 1024] [--kappa K] [--log [--epsilon 1e-5]]
                     [--png FILE] [--svg FILE] --out SPECTRUM.json

  --estimator NAME        trace: default xtrace; diag: default xdiag; exact: from the dense matrix
  --num-matvecs N         the estimator's budget (below P; hutchpp: divisible by 3; xtrace, xdiag: even)
  --distribution D        rademacher (default) or normal probes (xdiag: rademacher only)
  --probe-seed S          seed of probes and start vectors; default 0
  --k N, --which W        eig: how many eigenpairs, which end (SciPy's eigsh); defaults 6, LA
  --tol T                 eig: relative accuracy, 0 = machine precision
  --ncv N                 eig: basis size; spectrum: Lanczos steps (default min(P, 128))
  --eigenvectors FILE     eig: also write the [P, k] eigenvectors as .npy
  --num-repeats, --num-points, --kappa, --log, --epsilon   spectrum: curvlinops' parameters (Papyan 2020)
  --png FILE, --svg FILE  spectrum: draw the density`;

/** Flags of the algorithms: name → takes a value (else a boolean switch). */
const ALGORITHM_FLAGS: Readonly<Record<string, boolean>> = {
  estimator: true, "num-matvecs": true, distribution: true, "probe-seed": true, k: true, which: true, tol: true, ncv: true,
  eigenvectors: true, "num-repeats": true, "num-points": true, kappa: true, log: false, epsilon: true, png: true, svg: true,
};

/** Whether `argv` asks for one of the algorithm commands (its first positional, after pnpm's `--`). */
export function isAlgorithmCommand(argv: readonly string[]): boolean {
  const first = argv.find((arg) => arg !== "--");
  return (ALGORITHM_COMMANDS as readonly string[]).includes(first ?? "");
}

function number(flag: string, value: string, { integer = false, minimum = -Infinity, exclusive = false } = {}): number {
  const n = Number(value);
  const ok = value.trim() !== "" && Number.isFinite(n) && (!integer || Number.isSafeInteger(n)) && (exclusive ? n > minimum : n >= minimum);
  if (!ok) throw new UsageError(`--${flag} must be ${integer ? "an integer" : "a number"} ${exclusive ? ">" : ">="} ${minimum}, got "${value}"`);
  return n;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

/**
 * Parses `curv trace|diag|eig|spectrum ...`. Returns `undefined` for `--help`.
 *
 * @throws {UsageError} naming the flag: unknown flags, malformed values, a flag of another command.
 */
export function parseAlgorithmCommandLine(argv: readonly string[]): AlgorithmCommand | undefined {
  const args = argv.filter((arg, i) => !(arg === "--" && argv.slice(0, i).every((a) => a === "--")));
  const name = oneOf("command", args[0], ALGORITHM_COMMANDS);
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(args[i]);
    const flag = match?.[1];
    if (flag === undefined || !(flag in ALGORITHM_FLAGS)) {
      rest.push(args[i]);
      continue;
    }
    if (values.has(flag)) throw new UsageError(`--${flag} given twice`);
    if (!ALGORITHM_FLAGS[flag]) {
      values.set(flag, "true");
      continue;
    }
    const value = match?.[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`--${flag} needs a value`);
    values.set(flag, value);
  }
  if (rest.includes("--help") || rest.includes("-h")) return undefined;
  const parsed = parseCommandLine(["matrix", ...rest]);
  if (parsed.help) return undefined;
  const allowed: Record<AlgorithmCommandName, readonly string[]> = {
    trace: ["estimator", "num-matvecs", "distribution", "probe-seed"],
    diag: ["estimator", "num-matvecs", "distribution", "probe-seed"],
    eig: ["k", "which", "tol", "ncv", "probe-seed", "eigenvectors"],
    spectrum: ["ncv", "num-repeats", "num-points", "kappa", "log", "epsilon", "png", "svg", "probe-seed"],
  };
  for (const flag of values.keys()) {
    if (!allowed[name].includes(flag)) throw new UsageError(`--${flag} does not apply to curv ${name}`);
  }
  const get = (flag: string): string | undefined => values.get(flag);
  if (get("epsilon") !== undefined && get("log") === undefined) throw new UsageError("--epsilon applies to curv spectrum --log only");
  const estimator = name === "trace"
    ? oneOf("estimator", get("estimator") ?? "xtrace", TRACE_ESTIMATORS)
    : oneOf("estimator", get("estimator") ?? "xdiag", DIAG_ESTIMATORS);
  const numMatvecs = get("num-matvecs") === undefined ? undefined : number("num-matvecs", get("num-matvecs")!, { integer: true, minimum: 1 });
  if ((name === "trace" || name === "diag") && estimator !== "exact" && numMatvecs === undefined) {
    throw new UsageError(`curv ${name} --estimator ${estimator} needs --num-matvecs N`);
  }
  return {
    curvature: parsed.command,
    algorithm: {
      name,
      estimator,
      numMatvecs,
      distribution: oneOf("distribution", get("distribution") ?? "rademacher", ["rademacher", "normal"] as const),
      probeSeed: get("probe-seed") === undefined ? 0 : number("probe-seed", get("probe-seed")!, { integer: true, minimum: 0 }),
      k: get("k") === undefined ? 6 : number("k", get("k")!, { integer: true, minimum: 1 }),
      which: oneOf("which", get("which") ?? "LA", EIG_WHICH),
      tol: get("tol") === undefined ? 0 : number("tol", get("tol")!, { minimum: 0 }),
      ncv: get("ncv") === undefined ? undefined : number("ncv", get("ncv")!, { integer: true, minimum: 2 }),
      eigenvectorsPath: get("eigenvectors"),
      numRepeats: get("num-repeats") === undefined ? 1 : number("num-repeats", get("num-repeats")!, { integer: true, minimum: 1 }),
      numPoints: get("num-points") === undefined ? 1024 : number("num-points", get("num-points")!, { integer: true, minimum: 2 }),
      kappa: get("kappa") === undefined ? undefined : number("kappa", get("kappa")!, { minimum: 1, exclusive: true }),
      log: get("log") === "true",
      epsilon: get("epsilon") === undefined ? 1e-5 : number("epsilon", get("epsilon")!, { minimum: 0, exclusive: true }),
      pngPath: get("png"),
      svgPath: get("svg"),
    },
  };
}
