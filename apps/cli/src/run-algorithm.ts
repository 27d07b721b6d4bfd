/**
 * Runs `curv trace|diag|eig|spectrum`: builds the curvature operator as
 * `curv matrix` does, runs the algorithm of `@curv/operators` on it, writes
 * JSON (or `.npy`) and, for `spectrum`, the density as PNG/SVG.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { saveNpy } from "@curv/autodiff";
import {
  eigsh, hutchinsonDiag, hutchinsonTrace, hutchppTrace, lanczosApproximateLogSpectrum, lanczosApproximateSpectrum, xdiag, xtrace,
  type LinearOperator,
} from "@curv/operators";
import { Generator, Tensor, writeFileAtomicSync, type FloatDType } from "@curv/tensor";
import { lineChartSvg, svgToPng } from "@curv/viz";
import { ALGORITHM_USAGE, parseAlgorithmCommandLine, type AlgorithmCommand, type AlgorithmSettings } from "./algorithm-command-line.js";
import { InputFileError } from "./cli-errors.js";
import { createCurvatureOperator } from "./curvature-operator.js";
import { checkCurvatureBudget, readCurvatureInputs } from "./curvature-inputs.js";
import { batchesOf } from "./input-files.js";
import { formatSeconds } from "./matrix-summary.js";
import type { CliOutput } from "./run-cli.js";

/** Parses and runs an algorithm command; prints the usage for `--help`. */
export async function runAlgorithmCli(argv: readonly string[], output: CliOutput): Promise<void> {
  const command = parseAlgorithmCommandLine(argv);
  if (command === undefined) {
    output.stdout(ALGORITHM_USAGE);
    return;
  }
  await runAlgorithm(command, output);
}

async function runAlgorithm({ curvature, algorithm }: AlgorithmCommand, output: CliOutput): Promise<void> {
  const started = performance.now();
  const inputs = readCurvatureInputs(curvature);
  const { model, X, y, params } = inputs;
  checkCurvatureBudget(curvature, inputs, algorithmColumns(algorithm, inputs.numParameters));
  const operator = createCurvatureOperator(curvature, model, params, batchesOf(X, y, curvature.batchSize), X.shape[0]);
  const header = `${curvature.kind}: P = ${operator.shape[1]}`;
  const lines = await ALGORITHMS[algorithm.name](operator, algorithm, curvature.outPath);
  for (const line of [header, ...lines, `time = ${formatSeconds(performance.now() - started)}`]) output.stdout(line);
  output.stdout(`wrote ${curvature.outPath}`);
}

/** The most vectors one product of the algorithm takes: its memory check's column count. */
function algorithmColumns({ name, estimator, numMatvecs, k, ncv }: AlgorithmSettings, numParameters: number): number {
  if (estimator === "exact") return Math.min(256, numParameters);
  if (name === "trace" || name === "diag") return numMatvecs ?? 1;
  if (name === "eig") return Math.min(numParameters, ncv ?? 2 * k + 1);
  return 1;
}

type Algorithm = (operator: LinearOperator<FloatDType>, settings: AlgorithmSettings, outPath: string) => Promise<string[]>;

const TRACE_ESTIMATORS = { hutchinson: hutchinsonTrace, hutchpp: hutchppTrace, xtrace } as const;

const ALGORITHMS: Readonly<Record<AlgorithmSettings["name"], Algorithm>> = {
  async trace(operator, { estimator, numMatvecs, distribution, probeSeed }, outPath) {
    const trace = estimator === "exact"
      ? await operator.trace()
      : await TRACE_ESTIMATORS[estimator as keyof typeof TRACE_ESTIMATORS](operator, numMatvecs!, { generator: new Generator(probeSeed), distribution });
    writeJson(outPath, { estimator, numMatvecs: estimator === "exact" ? operator.shape[1] : numMatvecs, distribution, probeSeed, trace });
    return [`trace (${estimator}) = ${trace.toPrecision(7)}`];
  },

  async diag(operator, { estimator, numMatvecs, distribution, probeSeed }, outPath) {
    const generator = new Generator(probeSeed);
    const diagonal = estimator === "exact"
      ? exactDiagonal(await operator.toDense({ progressbar: true }))
      : estimator === "xdiag"
        // The library refuses a distribution other than Rademacher for XDiag; pass it on so the user hears so.
        ? await xdiag(operator, numMatvecs!, { generator, distribution } as Parameters<typeof xdiag>[2])
        : await hutchinsonDiag(operator, numMatvecs!, { generator, distribution });
    writeFile(outPath, saveNpy(diagonal));
    const sum = diagonal.toArray().reduce((s, v) => s + v, 0);
    return [`diagonal (${estimator}): ${diagonal.shape[0]} entries, sum = ${sum.toPrecision(7)}`];
  },

  async eig(operator, { k, which, tol, ncv, probeSeed, eigenvectorsPath }, outPath) {
    const result = await eigsh(operator, { k, which, tol, ncv, generator: new Generator(probeSeed), returnEigenvectors: eigenvectorsPath !== undefined });
    const { eigenvalues, residualNorms, numProducts, numMatvecs, restarts } = result;
    writeJson(outPath, { k, which, tol, eigenvalues, residualNorms, numProducts, numMatvecs, restarts });
    if (eigenvectorsPath !== undefined) writeFile(eigenvectorsPath, saveNpy(result.eigenvectors!));
    return [
      `eigenvalues (${which}) = [${eigenvalues.map((v) => v.toPrecision(6)).join(", ")}]`,
      `products = ${numProducts} (${numMatvecs} matvecs, ${restarts} restarts)`,
      ...(eigenvectorsPath === undefined ? [] : [`wrote ${eigenvectorsPath}`]),
    ];
  },

  async spectrum(operator, { ncv, numRepeats, numPoints, kappa, log, epsilon, probeSeed, pngPath, svgPath }, outPath) {
    const steps = ncv ?? Math.min(operator.shape[1], 128);
    const options = { numRepeats, numPoints, kappa, generator: new Generator(probeSeed) };
    const { grid, density } = log
      ? await lanczosApproximateLogSpectrum(operator, steps, { ...options, epsilon })
      : await lanczosApproximateSpectrum(operator, steps, options);
    writeJson(outPath, { ncv: steps, numRepeats, log, ...(log ? { epsilon } : {}), grid: grid.toArray(), density: density.toArray() });
    const lines = [`spectral density${log ? " of log(|A| + εI)" : ""}: ${numPoints} points on [${grid.get(0).toPrecision(4)}, ${grid.get(numPoints - 1).toPrecision(4)}]`];
    if (pngPath !== undefined || svgPath !== undefined) {
      // A log axis shows the bulk and the outliers; values below 1e-6 of the peak are the bumps' tails.
      const peak = Math.max(...density.toArray());
      const shown = density.toArray().map((v) => (v >= 1e-6 * peak ? v : NaN));
      const svg = lineChartSvg([{ label: "density", x: grid.data, y: shown }], {
        title: `Spectral density (${ncv ?? steps} Lanczos steps, ${numRepeats} repeat${numRepeats === 1 ? "" : "s"})`,
        xLabel: log ? "eigenvalue (log scale)" : "eigenvalue",
        yLabel: "density",
        xScale: log ? "log" : "linear",
        yScale: "log",
      });
      if (svgPath !== undefined) writeFile(svgPath, new TextEncoder().encode(svg));
      if (pngPath !== undefined) writeFile(pngPath, svgToPng(svg));
      lines.push(...[pngPath, svgPath].filter((p) => p !== undefined).map((p) => `wrote ${p}`));
    }
    return lines;
  },
};

function exactDiagonal(matrix: Tensor<FloatDType>): Tensor<FloatDType> {
  const n = matrix.shape[0];
  const out = new Tensor(matrix.dtype, [n]);
  for (let i = 0; i < n; i++) out.data[i] = matrix.data[i * n + i];
  return out;
}

function writeJson(path: string, value: unknown): void {
  writeFile(path, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`));
}

function writeFile(path: string, bytes: Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicSync(path, bytes);
  } catch (cause) {
    throw new InputFileError(`cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
}
