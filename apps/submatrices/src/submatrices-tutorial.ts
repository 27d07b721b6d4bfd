/**
 * curvlinops' "Sub-matrices of linear operators" tutorial: blocks of the
 * Hessian from the `params` argument (diagonal blocks) and from
 * `SubmatrixLinearOperator` (off-diagonal blocks, arbitrary rows and
 * columns), each checked against PyTorch's dense Hessian, and the timing
 * that shows why restricting `params` beats slicing.
 */
import { HessianLinearOperator, SubmatrixLinearOperator, type LinearOperator } from "@curv/operators";
import { Generator, type Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { denseSubmatrix, extractBlock, parameterIndices } from "./parameter-blocks.js";
import type { FixtureProblem } from "./fixture-problem.js";

/** curvlinops' `allclose_report` tolerances. */
const TOLERANCE = { rtol: 1e-5, atol: 1e-8 };

/** One comparison of an operator's dense matrix with the reference block. */
export interface BlockCheck {
  readonly name: string;
  readonly shape: readonly number[];
  readonly maxAbsError: number;
  readonly ok: boolean;
}

/** What the tutorial found. */
export interface TutorialResult {
  readonly checks: readonly BlockCheck[];
  /** Seconds of one matvec of the block built via `params`, and of the same block sliced from the full Hessian. */
  readonly matvecSeconds: { readonly viaParams: number; readonly viaSubmatrix: number };
}

/** Options of {@link runSubmatricesTutorial}. */
export interface TutorialOptions {
  /** `undefined`: the default provider; `js`: the TypeScript interpreter. */
  readonly provider?: "cpu" | "cuda" | "webgpu" | "js";
  /** Matvecs timed per variant (the best is reported); default 20. */
  readonly timingRepeats?: number;
  readonly log?: (line: string) => void;
}

async function check(name: string, operator: LinearOperator<"float64">, reference: Tensor<"float64">, log: (line: string) => void): Promise<BlockCheck> {
  const dense = await operator.toDense();
  const { ok, maxAbsError } = compare(dense, reference, TOLERANCE);
  log(`${name} ${dense.shape.join(" x ")}: max |error| = ${maxAbsError.toExponential(2)} ${ok ? "(allclose)" : "(NOT allclose)"}`);
  return { name, shape: dense.shape, maxAbsError, ok };
}

/** The best of `repeats` timings of `operator.matvec(x)`, in seconds, after one untimed warm-up (which compiles). */
async function timeMatvec(operator: LinearOperator<"float64">, x: Tensor<"float64">, repeats: number): Promise<number> {
  await operator.matvec(x);
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    await operator.matvec(x);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

/**
 * Runs the tutorial on `problem`, printing each step's check (max absolute
 * error against PyTorch's Hessian) and the timing comparison.
 *
 * @example
 * ```ts
 * const { checks } = await runSubmatricesTutorial(loadFixtureProblem());
 * checks.every((c) => c.ok);   // true
 * ```
 */
export async function runSubmatricesTutorial(problem: FixtureProblem, options: TutorialOptions = {}): Promise<TutorialResult> {
  const { log = console.log, timingRepeats = 20 } = options;
  const { model, lossFunction, params, paramDims, data, referenceHessian } = problem;
  const runtime = options.provider === undefined ? {} : options.provider === "js" ? { runtime: "js" as const } : { runtime: "ort" as const, providers: [options.provider] };
  const hessianOf = (names: readonly string[]) =>
    new HessianLinearOperator(model, lossFunction, names, data, { ...runtime, dtype: "float64" }) as LinearOperator<"float64">;
  const checks: BlockCheck[] = [];

  // The full Hessian against PyTorch's.
  const H = hessianOf(params);
  checks.push(await check("H", H, referenceHessian, log));

  // Diagonal block (0, 0): a Hessian operator of the first parameter only.
  const HParam0 = hessianOf([params[0]]);
  checks.push(await check(`H_param0 (params = ["${params[0]}"])`, HParam0, extractBlock(referenceHessian, paramDims, 0, 0), log));

  // Off-diagonal block (0, 1): mixed derivatives of two parameters, rectangular, not a Hessian.
  const rows01 = parameterIndices(paramDims, 0);
  const cols01 = parameterIndices(paramDims, 1);
  checks.push(await check("H_param0_param1 (SubmatrixLinearOperator)", new SubmatrixLinearOperator(H, rows01, cols01), extractBlock(referenceHessian, paramDims, 0, 1), log));

  // Arbitrary rows and columns.
  const rowIdxs = [0, 13, 42];
  const colIdxs = [1, 2, 3];
  checks.push(await check("H_sub rows [0, 13, 42], columns [1, 2, 3]", new SubmatrixLinearOperator(H, rowIdxs, colIdxs), denseSubmatrix(referenceHessian, rowIdxs, colIdxs), log));

  // The diagonal block again, sliced from the full Hessian.
  const HParam0Alternative = new SubmatrixLinearOperator(H, rows01, rows01);
  checks.push(await check("H_param0_alternative (SubmatrixLinearOperator)", HParam0Alternative, extractBlock(referenceHessian, paramDims, 0, 0), log));

  // Restricting params differentiates with respect to one tensor; slicing multiplies the full Hessian and discards most of it.
  const x = new Generator(0).uniform([paramDims[0]], { dtype: "float64" });
  const viaParams = await timeMatvec(HParam0, x, timingRepeats);
  const viaSubmatrix = await timeMatvec(HParam0Alternative, x, timingRepeats);
  log(`H_param0.matvec: ${viaParams.toExponential(2)} s`);
  log(`H_param0_alternative.matvec: ${viaSubmatrix.toExponential(2)} s`);
  return { checks, matvecSeconds: { viaParams, viaSubmatrix } };
}
