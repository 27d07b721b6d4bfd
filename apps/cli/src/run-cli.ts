/**
 * `curv`'s whole run as one function of its arguments, so tests call it in
 * process: parse, load, build the operator, multiply, write the `.npy`,
 * print a summary. Every error becomes one line on stderr and exit code 1.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { saveNpy } from "@curv/autodiff";
import { writeFileAtomic, type FloatDType, type Tensor } from "@curv/tensor";
import { InputFileError } from "./cli-errors.js";
import { isAlgorithmCommand } from "./algorithm-command-line.js";
import { parseCommandLine, USAGE, type CurvatureCommand } from "./command-line.js";
import { createCurvatureOperator } from "./curvature-operator.js";
import { checkCurvatureBudget, readCurvatureInputs } from "./curvature-inputs.js";
import { batchesOf, readVector } from "./input-files.js";
import { matrixSummary, matvecSummary } from "./matrix-summary.js";
import { runAlgorithmCli } from "./run-algorithm.js";

/** Where `curv` writes its text: one line per call. */
export interface CliOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** Whether a reader closed the stream (`curv ... | head -1`): lines are then dropped, quietly. */
const closed = { stdout: false, stderr: false };
for (const name of ["stdout", "stderr"] as const) {
  process[name].on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed[name] = true;
  });
}

const processOutput: CliOutput = {
  stdout: (line) => void (closed.stdout || process.stdout.write(`${line}\n`)),
  stderr: (line) => void (closed.stderr || process.stderr.write(`${line}\n`)),
};

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Aborted by Ctrl-C (the executable's signal handlers): the result is not written. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `curv` with `argv` (without `node` and the script) and returns the
 * exit code: 0 on success, 1 after printing `curv: <what went wrong>`.
 *
 * @example
 * ```ts
 * const code = await runCli(["matrix", "--model", "mlp.onnx", "--data", "mlp.npz", "--loss", "mse", "--kind", "ggn", "--out", "G.npy"]);
 * ```
 */
export async function runCli(argv: readonly string[], output: CliOutput = processOutput, options: RunCliOptions = {}): Promise<number> {
  try {
    // curv trace|diag|eig|spectrum: the algorithms on a curvature (run-algorithm.ts).
    if (isAlgorithmCommand(argv)) {
      await runAlgorithmCli(argv, output);
      return 0;
    }
    const parsed = parseCommandLine(argv);
    if (parsed.help) {
      output.stdout(USAGE);
      return 0;
    }
    await runCommand(parsed.command, output, options.signal);
    return 0;
  } catch (error) {
    output.stderr(`curv: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
}

/**
 * A message on one line: some errors list their reasons on lines of their own
 * (a runtime that could not start says why for each provider), and the
 * reasons are the useful part, so lines are joined rather than cut.
 */
export function oneLine(message: string): string {
  return message.split("\n").map((line) => line.trim()).filter((line) => line !== "").join(" ");
}

async function runCommand(command: CurvatureCommand, output: CliOutput, signal: AbortSignal | undefined): Promise<void> {
  const started = performance.now();
  const inputs = readCurvatureInputs(command);
  const { model, X, y, params, numParameters } = inputs;
  const vector = command.command === "matvec" ? readVector(command.vectorPath as string, numParameters, command.dtype, command.maxInputBytes) : undefined;
  checkCurvatureBudget(command, inputs, vector === undefined ? 256 : vector.ndim === 1 ? 1 : vector.shape[1]);
  const operator = createCurvatureOperator(command, model, params, batchesOf(X, y, command.batchSize), X.shape[0]);
  let result: Tensor<FloatDType>;
  let summary: string[];
  if (command.command === "matrix") {
    result = await operator.toDense({ progressbar: true });
    summary = matrixSummary(command.kind, result, performance.now() - started);
  } else {
    const product = vector as Tensor<FloatDType>;
    result = product.ndim === 1 ? await operator.matvec(product) : await operator.matmat(product);
    summary = matvecSummary(command.kind, operator.shape[1], result, performance.now() - started);
  }
  await writeOutput(command.outPath, saveNpy(result), signal);
  for (const line of summary) output.stdout(line);
  output.stdout(`wrote ${command.outPath}`);
}

/** Writes the result atomically (temporary file, fsync, rename): a failure or Ctrl-C leaves any old file as it was. */
async function writeOutput(path: string, bytes: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
  try {
    mkdirSync(dirname(path), { recursive: true });
    await writeFileAtomic(path, bytes, { signal });
  } catch (cause) {
    if (signal?.aborted === true) throw cause;
    throw new InputFileError(`--out ${path}: cannot write: ${(cause as Error).message.replace(`${path}: cannot write: `, "")}`, { cause });
  }
}
