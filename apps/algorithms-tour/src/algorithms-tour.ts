/**
 * curvlinops' gallery of algorithms on the curvature tour's CNN: spectral
 * densities of its Hessian and GGN (the "spectral density" example), the
 * convergence of trace and diagonal estimators against the exact values (the
 * "trace and diagonal estimation" example), and CG vs Neumann vs
 * KFAC-preconditioned CG on a damped GGN system (the "inverses" example).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CGInverseLinearOperator, DenseLinearOperator, IdentityLinearOperator, KFACLinearOperator, NeumannInverseLinearOperator,
  eigsh, hutchinsonDiag, hutchinsonTrace, hutchppTrace, lanczosApproximateSpectrum, xdiag, xtrace, type LinearOperator,
} from "@curv/operators";
import { Generator, Tensor, eigh } from "@curv/tensor";
import { lineChartSvg, svgToPng, type LineSeries } from "@curv/viz";
import { curvatureOptions, tourOperators, tourProblem } from "./tour-problem.js";

/** What the tour does; the defaults are the full run of `pnpm start`. */
export interface AlgorithmsTourConfig {
  readonly outDir: string;
  /** Tour batches used (20 examples each; the tour has 3); default all. */
  readonly batches?: number;
  /** Lanczos steps and repeats of the spectral densities; defaults 128 and 3. */
  readonly ncv?: number;
  readonly numRepeats?: number;
  /** Estimator budgets (each divisible by 6); default 12 to 384, doubling. */
  readonly budgets?: readonly number[];
  /** Seeds averaged per budget; default 5. */
  readonly seeds?: number;
  /** Damping δ of the system `(GGN + δI) x = b` and iterations of the solvers; defaults 1e-3 and 100. */
  readonly damping?: number;
  readonly iterations?: number;
  readonly log?: (line: string) => void;
}

/** The numbers behind the pictures. */
export interface AlgorithmsTourResult {
  readonly files: readonly string[];
  /** Top eigenvalue of each matrix, from eigsh and from dense eigh. */
  readonly topEigenvalues: Readonly<Record<"hessian" | "ggn", { eigsh: number; eigh: number }>>;
  /** Mean relative error of each estimator per budget. */
  readonly estimatorErrors: Readonly<Record<string, readonly number[]>>;
  /** Relative residual after the last iteration of each solver. */
  readonly finalResiduals: Readonly<Record<string, number>>;
}

type Write = (name: string, svg: string) => void;

/**
 * Runs the tour and writes its pictures (PNG and SVG) to `outDir`.
 *
 * @example
 * ```ts
 * const { files } = await runAlgorithmsTour({ outDir: "out/algorithms-tour" });
 * ```
 */
export async function runAlgorithmsTour(config: AlgorithmsTourConfig): Promise<AlgorithmsTourResult> {
  const log = config.log ?? console.log;
  mkdirSync(config.outDir, { recursive: true });
  const files: string[] = [];
  const write: Write = (name, svg) => {
    for (const [file, bytes] of [[`${name}.svg`, new TextEncoder().encode(svg)], [`${name}.png`, svgToPng(svg)]] as const) {
      writeFileSync(join(config.outDir, file), bytes);
      files.push(join(config.outDir, file));
    }
  };
  // float32 on ORT's CPU provider: the tour's precision, and fast.
  const problem = tourProblem({ dtype: "float32", batches: config.batches });
  const { hessian, ggn } = tourOperators(problem);
  log(`Tour CNN: ${hessian.shape[0]} parameters, ${problem.numData} examples`);

  const dense = { hessian: await hessian.toDense(), ggn: await ggn.toDense() };
  const topEigenvalues = {
    hessian: await spectralDensity("hessian", "Hessian", hessian, dense.hessian, config, write, log),
    ggn: await spectralDensity("ggn", "GGN", ggn, dense.ggn, config, write, log),
  };
  const estimatorErrors = await estimatorConvergence(dense.ggn, config, write, log);
  const finalResiduals = await inverseResiduals(problem, ggn, config, write, log);
  for (const file of files) log(`wrote ${file}`);
  return { files, topEigenvalues, estimatorErrors, finalResiduals };
}

/** Lanczos density (Papyan 2020) against the exact eigenvalues smoothed by the same bumps. */
async function spectralDensity(
  key: string, title: string, operator: LinearOperator, dense: Tensor, config: AlgorithmsTourConfig, write: Write, log: (line: string) => void,
): Promise<{ eigsh: number; eigh: number }> {
  const { ncv = 128, numRepeats = 3 } = config;
  const exact = eigh(dense.astype("float64"), { symmetryTolerance: 1e-4 }).eigenvalues.toArray();
  const top = await eigsh(operator, { k: 1, which: "LA", tol: 1e-4, returnEigenvectors: false });
  log(`${title}: top eigenvalue ${top.eigenvalues[0].toPrecision(6)} (eigsh, ${top.numMatvecs} matvecs), ${exact[exact.length - 1].toPrecision(6)} (eigh)`);
  const started = performance.now();
  const { grid, density } = await lanczosApproximateSpectrum(operator, ncv, { numRepeats, generator: new Generator(0) });
  log(`${title}: spectral density from ${ncv} Lanczos steps x ${numRepeats} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  // The same Gaussian bumps at the exact eigenvalues: what the quadrature approximates.
  const x = grid.toArray();
  const [low, high] = [x[0], x[x.length - 1]];
  const sigma = ((high - low) / 2) * (2 / (ncv - 1) / Math.sqrt(8 * Math.log(3)));
  const reference = x.map((point) => exact.reduce((s, l) => s + Math.exp(-0.5 * ((point - l) / sigma) ** 2), 0) / (exact.length * sigma * Math.sqrt(2 * Math.PI)));
  const peak = Math.max(...density.toArray(), ...reference);
  const clip = (values: readonly number[]) => values.map((v) => (v >= 1e-5 * peak ? v : NaN));
  write(`spectral-density-${key}`, lineChartSvg([
    { label: `Lanczos (${ncv} steps, ${numRepeats} runs)`, x, y: clip(density.toArray()) },
    { label: "exact eigenvalues", x, y: clip(reference), dashed: true },
  ], { title: `Spectral density of the tour CNN's ${title}`, xLabel: "eigenvalue", yLabel: "density", yScale: "log" }));
  return { eigsh: top.eigenvalues[0], eigh: exact[exact.length - 1] };
}

/** Mean relative errors of the estimators per budget, on the GGN (materialized once, products in float64). */
async function estimatorConvergence(denseGgn: Tensor, config: AlgorithmsTourConfig, write: Write, log: (line: string) => void) {
  const { budgets = [12, 24, 48, 96, 192, 384], seeds = 5 } = config;
  const matrix = denseGgn.astype("float64");
  const operator = new DenseLinearOperator(matrix);
  const n = matrix.shape[0];
  const diagonal = Array.from({ length: n }, (_, i) => matrix.get(i, i));
  const trace = diagonal.reduce((a, b) => a + b, 0);
  const maxDiagonal = Math.max(...diagonal.map(Math.abs));
  const traceEstimators = { Hutchinson: hutchinsonTrace, "Hutch++": hutchppTrace, XTrace: xtrace } as const;
  const errors: Record<string, number[]> = {};
  for (const [name, estimate] of Object.entries(traceEstimators)) {
    errors[`trace ${name}`] = await meanOverSeeds(budgets, seeds, async (budget, g) => Math.abs((await estimate(operator, budget, { generator: g })) - trace) / Math.abs(trace));
  }
  const diagonalError = (d: Tensor) => Math.max(...d.toArray().map((v, i) => Math.abs(v - diagonal[i]))) / maxDiagonal;
  errors["diagonal Hutchinson"] = await meanOverSeeds(budgets, seeds, async (budget, g) => diagonalError(await hutchinsonDiag(operator, budget, { generator: g })));
  errors["diagonal XDiag"] = await meanOverSeeds(budgets, seeds, async (budget, g) => diagonalError(await xdiag(operator, budget, { generator: g })));
  for (const [name, values] of Object.entries(errors)) log(`${name}: relative error ${values.map((v) => v.toExponential(1)).join(", ")} at ${budgets.join(", ")} matvecs`);
  const series = (prefix: string): LineSeries[] => Object.entries(errors)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, values]) => ({ label: name.slice(prefix.length + 1), x: budgets, y: values, markers: true }));
  write("trace-estimators", lineChartSvg(series("trace"), {
    title: `Trace of the GGN: mean relative error over ${seeds} seeds`, xLabel: "matrix-vector products", yLabel: "|estimate - tr| / |tr|", xScale: "log", yScale: "log",
  }));
  write("diagonal-estimators", lineChartSvg(series("diagonal"), {
    title: `Diagonal of the GGN: mean relative L∞ error over ${seeds} seeds`, xLabel: "matrix-vector products", yLabel: "max |error| / max |diag|", xScale: "log", yScale: "log",
  }));
  return errors;
}

async function meanOverSeeds(budgets: readonly number[], seeds: number, error: (budget: number, generator: Generator) => Promise<number>): Promise<number[]> {
  const means: number[] = [];
  for (const budget of budgets) {
    let sum = 0;
    for (let seed = 0; seed < seeds; seed++) sum += await error(budget, new Generator(seed));
    means.push(sum / seeds);
  }
  return means;
}

/** Relative residuals of CG, KFAC-preconditioned CG and Neumann on `(GGN + δI) x = b`. */
async function inverseResiduals(
  problem: ReturnType<typeof tourProblem>, ggn: LinearOperator, config: AlgorithmsTourConfig, write: Write, log: (line: string) => void,
): Promise<Record<string, number>> {
  const { damping = 1e-3, iterations = 100 } = config;
  const damped = ggn.add(new IdentityLinearOperator(ggn.inputShapes, ggn.dtype).scale(damping));
  const b = new Generator(1).normal([ggn.shape[0]], { dtype: ggn.dtype });
  const { model, loss, params, data } = problem;
  const kfac = new KFACLinearOperator(model, loss, params, data, { ...curvatureOptions(problem), fisherType: "type-2" });
  // Exact damping, (G ⊗ A + δI)⁻¹ per layer: the block-diagonal approximation of the system's own inverse.
  const preconditioner = await kfac.inverse({ damping, exactDamping: true });
  const plain = new CGInverseLinearOperator(damped, { maxIter: iterations, tolerance: 1e-6 });
  const preconditioned = new CGInverseLinearOperator(damped, { maxIter: iterations, tolerance: 1e-6, preconditioner });
  await plain.matvec(b);
  await preconditioned.matvec(b);
  const cgResiduals = plain.lastSolve!.residualNorms.map((r) => r[0]);
  const kfacResiduals = preconditioned.lastSolve!.residualNorms.map((r) => r[0]);
  // Neumann with α = 1/λ_max(GGN + δI): the series converges, at the rate 1 − δ/λ_max per term.
  const [lambdaMax] = (await eigsh(damped, { k: 1, which: "LA", tol: 1e-3, returnEigenvectors: false })).eigenvalues;
  const terms = [0, 5, 10, 20, 40, 60, 80, 100].filter((t) => t <= iterations);
  const neumannResiduals: number[] = [];
  const bNorm = Math.hypot(...b.toArray());
  for (const numTerms of terms) {
    const x = await new NeumannInverseLinearOperator(damped, { numTerms, scale: 1 / lambdaMax }).matvec(b);
    const ax = (await damped.matvec(x)).toArray();
    neumannResiduals.push(Math.hypot(...ax.map((v, i) => v - b.data[i])) / bNorm);
  }
  const finalResiduals = { CG: cgResiduals.at(-1)!, "KFAC-preconditioned CG": kfacResiduals.at(-1)!, Neumann: neumannResiduals.at(-1)! };
  log(`(GGN + ${damping} I) x = b: relative residual after ${iterations} products: ` +
    Object.entries(finalResiduals).map(([name, r]) => `${name} ${r.toExponential(1)} (${name === "Neumann" ? terms.at(-1) : name === "CG" ? cgResiduals.length - 1 : kfacResiduals.length - 1} iterations)`).join(", "));
  const steps = (values: readonly number[]) => values.map((_, i) => i);
  write("inverse-residuals", lineChartSvg([
    { label: "CG", x: steps(cgResiduals), y: cgResiduals },
    { label: "CG, KFAC-preconditioned", x: steps(kfacResiduals), y: kfacResiduals },
    { label: `Neumann (scale 1/λmax)`, x: terms, y: neumannResiduals, markers: true },
  ], { title: `(GGN + ${damping} I) x = b on the tour CNN (float32)`, xLabel: "iteration (products with the GGN)", yLabel: "‖b − A x‖ / ‖b‖", yScale: "log" }));
  return finalResiduals;
}
