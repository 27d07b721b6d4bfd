/**
 * `curv`'s whole run as one function of its arguments, so tests call it in
 * process: parse, load, build the operator, multiply, write the `.npy`,
 * print a summary. Every error becomes one line on stderr and exit code 1.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { saveNpy } from "@curv/autodiff";
import type { FloatDType, Tensor } from "@curv/tensor";
import { InputFileError } from "./cli-errors.js";
import { isAlgorithmCommand } from "./algorithm-command-line.js";
import { parseCommandLine, USAGE, type CurvatureCommand } from "./command-line.js";
import { createCurvatureOperator } from "./curvature-operator.js";
import { batchesOf, readData, readModel, readVector } from "./input-files.js";
import { matrixSummary, matvecSummary } from "./matrix-summary.js";
import { runAlgorithmCli } from "./run-algorithm.js";

/** Where `curv` writes its text: one line per call. */
export interface CliOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processOutput: CliOutput = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs `curv` with `argv` (without `node` and the script) and returns the
 * exit code: 0 on success, 1 after printing `curv: <what went wrong>`.
 *
 * @example
 * ```ts
 * const code = await runCli(["matrix", "--model", "mlp.onnx", "--data", "mlp.npz", "--loss", "mse", "--kind", "ggn", "--out", "G.npy"]);
 * ```
 */
export async function runCli(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
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
    await runCommand(parsed.command, output);
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

async function runCommand(command: CurvatureCommand, output: CliOutput): Promise<void> {
  const started = performance.now();
  const model = readModel(command.modelPath, command.dtype);
  const { X, y } = readData(command.dataPath, command.dtype, model.inputSpec.shape);
  const params = command.params ?? model.namedParameters().map(([name]) => name);
  const operator = createCurvatureOperator(command, model, params, batchesOf(X, y, command.batchSize), X.shape[0]);
  let result: Tensor<FloatDType>;
  let summary: string[];
  if (command.command === "matrix") {
    result = await operator.toDense({ progressbar: true });
    summary = matrixSummary(command.kind, result, performance.now() - started);
  } else {
    const vector = readVector(command.vectorPath as string, operator.shape[1], command.dtype);
    result = vector.ndim === 1 ? await operator.matvec(vector) : await operator.matmat(vector);
    summary = matvecSummary(command.kind, operator.shape[1], result, performance.now() - started);
  }
  writeOutput(command.outPath, saveNpy(result));
  for (const line of summary) output.stdout(line);
  output.stdout(`wrote ${command.outPath}`);
}

function writeOutput(path: string, bytes: Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  } catch (cause) {
    throw new InputFileError(`--out ${path}: cannot write: ${(cause as Error).message}`, { cause });
  }
}
