/**
 * The `curv` command line: `curv matrix ...` and `curv matvec ...`, parsed
 * into a typed {@link CurvatureCommand}. Unknown flags and malformed values
 * are {@link UsageError}s, so a typo never silently computes something else.
 */
import { parseArgs } from "node:util";
import type { FloatDType } from "@curv/tensor";
import { UsageError } from "./cli-errors.js";

export const CURVATURE_KINDS = ["hessian", "ggn", "ef", "fisher-mc", "kfac", "ekfac"] as const;
/** Which curvature matrix: `--kind`. */
export type CurvatureKind = (typeof CURVATURE_KINDS)[number];

export const LOSS_NAMES = ["mse", "cross-entropy", "bce"] as const;
/** `--loss`: PyTorch's `MSELoss`, `CrossEntropyLoss`, `BCEWithLogitsLoss`. */
export type LossName = (typeof LOSS_NAMES)[number];

export const PROVIDER_NAMES = ["cpu", "webgpu", "cuda", "js"] as const;
/** `--provider`: an ONNX Runtime execution provider, or `js` for the TypeScript interpreter. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** curvlinops' default seed of Monte-Carlo draws. */
export const DEFAULT_SEED = 2147483647;

/** What one `curv` invocation asks for. */
export interface CurvatureCommand {
  /** `matrix` writes the P x P matrix; `matvec` writes its product with `--vector`. */
  readonly command: "matrix" | "matvec";
  readonly modelPath: string;
  readonly dataPath: string;
  readonly loss: LossName;
  readonly reduction: "mean" | "sum";
  /** Examples per batch; `undefined`: the whole data set in one batch. */
  readonly batchSize: number | undefined;
  readonly kind: CurvatureKind;
  readonly separateWeightAndBias: boolean;
  /** Parameter names; `undefined`: all of the model's, in initializer order. */
  readonly params: readonly string[] | undefined;
  /** `undefined`: the runtime's default (`CURV_PROVIDER`, else ORT's CPU provider). */
  readonly provider: ProviderName | undefined;
  readonly dtype: FloatDType;
  readonly mcSamples: number;
  readonly seed: number;
  /** The `.npy` vector (or `[P, K]` matrix) of `matvec`. */
  readonly vectorPath: string | undefined;
  readonly outPath: string;
  /** The largest input file (and unpacked `.npz`) read, in bytes. */
  readonly maxInputBytes: number;
  /** The memory a request may need, in bytes, checked before the work starts. */
  readonly maxMemoryBytes: number;
  /** ORT's own log severity: `fatal` (default) keeps its native lines off stderr. */
  readonly ortLogLevel: OrtLogLevel;
}

export const ORT_LOG_LEVELS = ["verbose", "info", "warning", "error", "fatal"] as const;
/** `--ort-log-level`: the lowest severity of ONNX Runtime's native log lines that reach stderr. */
export type OrtLogLevel = (typeof ORT_LOG_LEVELS)[number];

/** `--max-input-bytes`' default: 2 GiB (per file, and unpacked from the `.npz`). */
export const DEFAULT_MAX_INPUT_BYTES = 2 ** 31 - 1;
/** `--max-memory`'s default: 8 GiB. */
export const DEFAULT_MAX_MEMORY_BYTES = 8 * 2 ** 30;

/** What {@link parseCommandLine} returns: a command to run, or a request for the usage text. */
export type ParsedCommandLine = { readonly help: true } | { readonly help: false; readonly command: CurvatureCommand };

export const USAGE = `usage: curv matrix --model M.onnx --data D.npz --loss mse|cross-entropy|bce --kind KIND --out OUT.npy [options]
       curv matvec  (the same) --vector V.npy --out OUT.npy

  --model FILE                  ONNX model (one input, one output; initializers are the parameters)
  --data FILE                   NumPy .npz with arrays X (inputs) and y (targets), batched in order
  --loss mse|cross-entropy|bce  the loss (PyTorch's MSELoss, CrossEntropyLoss, BCEWithLogitsLoss)
  --reduction mean|sum          default mean
  --batch-size N                examples per batch; default: all in one batch
  --kind KIND                   hessian | ggn | ef | fisher-mc | kfac | ekfac
  --separate-weight-and-bias    kfac/ekfac: separate Kronecker blocks for weight and bias (default: joint)
  --params NAME,...             parameters to differentiate; default: all, in the file's order
  --provider cpu|webgpu|cuda|js where to run; default: CURV_PROVIDER, else cpu
  --dtype float32|float64       default float32
  --mc-samples K                fisher-mc: samples per example; default 1
  --seed S                      fisher-mc: seed of the draws; default ${DEFAULT_SEED}
  --vector FILE                 matvec: .npy of shape [P] or [P, K]
  --out FILE                    where to write the .npy result (atomically: all of it or nothing)
  --max-input-bytes N           the largest input file (and unpacked .npz) read; default 2147483647 (2 GiB)
  --max-memory N[K|M|G]         memory a request may need, checked before the work starts; default 8G
  --ort-log-level LEVEL         verbose | info | warning | error | fatal: ONNX Runtime's own log lines; default fatal
  --help                        show this text

Each flag may be given once.`;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}

function integer(flag: string, value: string, minimum: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < minimum) {
    throw new UsageError(`--${flag} must be an integer >= ${minimum}, got "${value}"`);
  }
  return n;
}

/** A byte count with an optional K, M or G suffix (powers of 1024). */
function byteCount(flag: string, value: string): number {
  const match = /^(\d+)([KMG]?)$/i.exec(value);
  const n = match === null ? Number.NaN : Number(match[1]) * 1024 ** "_KMG".indexOf(match[2].toUpperCase() || "_");
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive number of bytes (e.g. 512M, 8G), got "${value}"`);
  return n;
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new UsageError(`--${flag} is required`);
  return value;
}

/**
 * Parses `curv`'s arguments (without `node` and the script). Leading `--`
 * (which pnpm may pass on) are skipped.
 *
 * @throws {UsageError} naming the flag, for anything missing, unknown or malformed.
 *
 * @example
 * ```ts
 * const parsed = parseCommandLine(["matrix", "--model", "m.onnx", "--data", "d.npz", "--loss", "mse", "--kind", "ggn", "--out", "G.npy"]);
 * parsed.help === false && parsed.command.kind;   // "ggn"
 * ```
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  // pnpm forwards a literal "--", doubled when called as `pnpm curv -- ...`.
  let skipped = 0;
  while (argv[skipped] === "--") skipped++;
  const args = attachValues(argv.slice(skipped));
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(args);
  } catch (cause) {
    // node:util's messages are clear ("Unknown option '--x'") but mention its own API; keep the first sentence.
    throw new UsageError((cause as Error).message.split(". ")[0], { cause });
  }
  const { values, positionals, tokens } = parsed;
  // node:util keeps the last of a repeated flag; a second --kind is more likely a mistake than an override.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  if (values.help === true) return { help: true };
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? "expected a command, matrix or matvec" : `expected one command, got ${positionals.join(" ")}`);
  }
  const command = oneOf("command", positionals[0], ["matrix", "matvec"] as const);
  const kind = oneOf("kind", required("kind", values.kind), CURVATURE_KINDS);
  const mcSamples = values["mc-samples"] === undefined ? 1 : integer("mc-samples", values["mc-samples"], 1);
  for (const flag of ["mc-samples", "seed"] as const) {
    // Other kinds draw nothing; accepting the flag would suggest it changed something.
    if (values[flag] !== undefined && kind !== "fisher-mc") throw new UsageError(`--${flag} applies to --kind fisher-mc only, got --kind ${kind}`);
  }
  if (values["separate-weight-and-bias"] === true && kind !== "kfac" && kind !== "ekfac") {
    throw new UsageError(`--separate-weight-and-bias applies to --kind kfac and ekfac only, got --kind ${kind}`);
  }
  const vectorPath = values.vector;
  if (command === "matvec" && (vectorPath === undefined || vectorPath === "")) throw new UsageError("curv matvec needs --vector FILE");
  if (command === "matrix" && vectorPath !== undefined) throw new UsageError("--vector applies to curv matvec only");
  const params = values.params?.split(",").map((name) => name.trim());
  if (params !== undefined && params.some((name) => name === "")) throw new UsageError(`--params must be comma-separated parameter names, got "${values.params}"`);
  return {
    help: false,
    command: {
      command,
      modelPath: required("model", values.model),
      dataPath: required("data", values.data),
      loss: oneOf("loss", required("loss", values.loss), LOSS_NAMES),
      reduction: oneOf("reduction", values.reduction ?? "mean", ["mean", "sum"] as const),
      batchSize: values["batch-size"] === undefined ? undefined : integer("batch-size", values["batch-size"], 1),
      kind,
      separateWeightAndBias: values["separate-weight-and-bias"] === true,
      params,
      provider: values.provider === undefined ? undefined : oneOf("provider", values.provider, PROVIDER_NAMES),
      dtype: oneOf("dtype", values.dtype ?? "float32", ["float32", "float64"] as const),
      mcSamples,
      seed: values.seed === undefined ? DEFAULT_SEED : integer("seed", values.seed, 0),
      vectorPath,
      outPath: required("out", values.out),
      maxInputBytes: values["max-input-bytes"] === undefined ? DEFAULT_MAX_INPUT_BYTES : integer("max-input-bytes", values["max-input-bytes"], 1),
      maxMemoryBytes: values["max-memory"] === undefined ? DEFAULT_MAX_MEMORY_BYTES : byteCount("max-memory", values["max-memory"]),
      ortLogLevel: oneOf("ort-log-level", values["ort-log-level"] ?? "fatal", ORT_LOG_LEVELS),
    },
  };
}

/**
 * `--flag value` as `--flag=value` for the flags that take a value, so a
 * value that starts with `-` (`--batch-size -1`) reaches the flag's own check
 * instead of node:util's "argument is ambiguous".
 */
function attachValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : undefined;
    if (name !== undefined && VALUE_FLAGS.has(name) && i + 1 < args.length) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

const VALUE_FLAGS = new Set([
  "model", "data", "loss", "reduction", "batch-size", "kind", "params", "provider", "dtype", "mc-samples", "seed", "vector", "out",
  "max-input-bytes", "max-memory", "ort-log-level",
]);

function parseWithNode(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      model: { type: "string" },
      data: { type: "string" },
      loss: { type: "string" },
      reduction: { type: "string" },
      "batch-size": { type: "string" },
      kind: { type: "string" },
      "separate-weight-and-bias": { type: "boolean" },
      params: { type: "string" },
      provider: { type: "string" },
      dtype: { type: "string" },
      "mc-samples": { type: "string" },
      seed: { type: "string" },
      vector: { type: "string" },
      out: { type: "string" },
      "max-input-bytes": { type: "string" },
      "max-memory": { type: "string" },
      "ort-log-level": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
    tokens: true,
  });
}
