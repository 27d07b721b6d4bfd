/**
 * KFAC's Kronecker factors over a data set (Martens & Grosse 2015, eqs. 1-2;
 * Grosse & Martens 2016 for convolutions; Eschenhagen et al. 2023 for
 * expand/reduce), normalized as curvlinops does:
 *
 * - `A = 1/(N S) Σ_{n,s} a aᵀ` (S shared positions; 1 under reduce), with a
 *   one appended to `a` when weight and bias share a block;
 * - `G = Σ_{n,k,s} g gᵀ` under sum reduction and `rows/(N R) Σ g gᵀ` under
 *   mean, where g backpropagates seed k (which carries the loss' per-datum
 *   factor c', so `rows/R` = 1 unless `numPerExampleLossTerms` says otherwise);
 * - `G = I` for `fisherType: "forward-only"`.
 */
import { compileProgram, type CurvatureLoss } from "@curv/autodiff";
import { ShapeError, Tensor, ValueError, type Dim, type FloatDType, type Generator } from "@curv/tensor";
import type { CurvatureRun } from "../curvature/curvature-run.js";
import type { IndexedBatch } from "../curvature/data-loop.js";
import { NondeterministicModelError } from "../curvature/nondeterministic-model-error.js";
import type { KFACLayer, KFACLayerKind } from "./kfac-layers.js";
import type { ResolvedKFACOptions } from "./kfac-options.js";
import { buildFactorProgram, factorNames, type FactorProgram, type FactorProgramKind } from "./kronecker-factor-program.js";

/** The Kronecker factors of one layer. */
export interface KFACLayerFactors<D extends FloatDType = FloatDType> {
  /** The layer's dotted module name (`"0"`, `"features.3"`). */
  readonly layer: string;
  readonly kind: KFACLayerKind;
  /** The weight's full name, if it is among the operator's parameters. */
  readonly weight?: string;
  /** The bias' full name, if it is among the operator's parameters. */
  readonly bias?: string;
  /**
   * A, the input covariance `[D_in, D_in]` (curvlinops' `input_covariances`),
   * with the bias' one as last row and column when weight and bias share a
   * block; absent when the weight is not among the parameters.
   */
  readonly inputCovariance?: Tensor<D>;
  /** G, the output-gradient covariance `[d_out, d_out]` (curvlinops' `gradient_covariances`). */
  readonly gradientCovariance: Tensor<D>;
}

/** The float64 sums of one pass over the data, by program output name. */
export type MomentSums = Map<string, Float64Array>;

function addOutputs(sums: MomentSums, outputs: Record<string, Tensor>): MomentSums {
  for (const [name, t] of Object.entries(outputs)) {
    const data = t.data as ArrayLike<number>;
    let sum = sums.get(name);
    if (sum === undefined) sums.set(name, (sum = new Float64Array(data.length)));
    for (let i = 0; i < data.length; i++) sum[i] += data[i];
  }
  return sums;
}

/** The output shape of a concrete batch: the batch symbol replaced by its size. */
function concreteShape(shape: readonly Dim[], batchSize: number, who: string): number[] {
  return shape.map((d, i) => {
    if (typeof d === "number") return d;
    if (i === 0) return batchSize;
    throw new ShapeError(`${who}: the model's output has a symbolic extent "${d}" besides the batch axis`);
  });
}

/** Everything one pass needs. */
export interface FactorPass<D extends FloatDType> {
  readonly who: string;
  readonly run: CurvatureRun<D>;
  readonly loss: CurvatureLoss;
  readonly layers: readonly KFACLayer[];
  readonly options: ResolvedKFACOptions;
}

/** curvlinops' tolerance for two products that must agree. */
const SAME_PASS = { rtol: 1e-5, atol: 1e-8 };

/** Throws a {@link NondeterministicModelError} unless two passes' sums agree. */
function assertSamePasses(who: string, first: MomentSums, second: MomentSums): void {
  for (const [name, a] of first) {
    const b = second.get(name) as Float64Array;
    const at = a.findIndex((v, i) => !(Math.abs(b[i] - v) <= SAME_PASS.atol + SAME_PASS.rtol * Math.abs(v)));
    if (at >= 0) {
      throw new NondeterministicModelError(
        `${who}: two passes over the data gave different Kronecker factors (${name}, entry ${at}: ${a[at]} vs ${b[at]}); ` +
          "the data must be the same on every pass and the model must not draw random numbers (pass checkDeterministic: false to skip this check)",
      );
    }
  }
}

/**
 * One pass over the data with the program of `kind`: every batch runs it
 * once, its outputs summed in float64 in batch order. `feeds` adds inputs
 * (EKFAC's eigenbases). MC noise is drawn per batch from one generator
 * seeded with `seed`, so a seed gives the same factors on every runtime.
 * With `checkDeterministic` (the default), the factors' pass runs twice and
 * must agree (curvlinops compares two passes too).
 */
export async function runFactorPass<D extends FloatDType>(
  pass: FactorPass<D>, kind: FactorProgramKind, feeds: Record<string, Tensor> = {},
): Promise<{ sums: MomentSums; program: FactorProgram }> {
  const { who, run, loss, layers, options } = pass;
  await run.prepare();
  const program = buildFactorProgram({
    who, trace: run.trace(), loss, layers, kind,
    fisherType: options.fisherType, mcSamples: options.mcSamples, kfacApprox: options.kfacApprox, separateWeightAndBias: options.separateWeightAndBias,
  });
  const compiled = await compileProgram(program.program, run.compileOptions);
  const onePass = () => {
    const generator: Generator = run.productGenerator();
    const noiseOf = (batch: IndexedBatch): Record<string, Tensor> => {
      if (program.noise === undefined) return {};
      const shape = concreteShape(program.outputShape, batch.X.shape[0], who);
      return { [program.noise.name]: loss.drawNoise(generator, shape, options.mcSamples, program.noise.spec.dtype) };
    };
    return run.loop.mapReduce(
      (batch) => run.runBatch(compiled, batch, generator, { ...feeds, ...noiseOf(batch) }),
      (total: MomentSums, outputs) => addOutputs(total, outputs),
      new Map(),
    );
  };
  // The factors are computed once and kept, so the program is released after its pass.
  try {
    const sums = await onePass();
    if (kind === "factors" && run.checkDeterministic) assertSamePasses(who, sums, await onePass());
    return { sums, program };
  } finally {
    await compiled.dispose();
  }
}

/** `sum` scaled by `scale`, symmetrized (rounding can break the symmetry of `Σ r rᵀ` in float32), as a float64 `[n, n]` matrix. */
/** Tile edge of the symmetrization: the transposed reads of a 64 x 64 tile stay in cache. */
const SYMMETRIZE_TILE = 64;

/** `scale (S + Sᵀ) / 2`, tile by tile, visiting each pair of mirrored entries once (factors reach 8192 x 8192). */
function symmetricMatrix(sum: Float64Array, n: number, scale: number): Tensor<"float64"> {
  const out = new Tensor("float64", [n, n]);
  const data = out.data;
  const half = scale / 2;
  for (let i0 = 0; i0 < n; i0 += SYMMETRIZE_TILE) {
    const i1 = Math.min(i0 + SYMMETRIZE_TILE, n);
    for (let j0 = 0; j0 <= i0; j0 += SYMMETRIZE_TILE) {
      const j1 = Math.min(j0 + SYMMETRIZE_TILE, n);
      for (let i = i0; i < i1; i++) {
        const jEnd = Math.min(j1, i + 1);
        for (let j = j0; j < jEnd; j++) {
          const value = half * (sum[i * n + j] + sum[j * n + i]);
          data[i * n + j] = value;
          data[j * n + i] = value;
        }
      }
    }
  }
  return out;
}

function identity(n: number): Tensor<"float64"> {
  const out = new Tensor("float64", [n, n]);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/**
 * The factor that turns `Σ g gᵀ` into G: 1 under sum reduction, `rows/(N R)`
 * under mean (curvlinops' `compute_loss_correction` with our seeds, which
 * already carry `c' = 1/rows` of the loss' elementwise mean).
 */
export function gradientScale(loss: CurvatureLoss, numData: number, rowsPerExample: number, numPerExampleLossTerms: number | undefined): number {
  if (loss.reduction === "sum") return 1;
  return rowsPerExample / (numData * (numPerExampleLossTerms ?? rowsPerExample));
}

/** KFAC's factors of every layer, in float64 (one pass over the data). */
export async function computeKroneckerFactors<D extends FloatDType>(pass: FactorPass<D>): Promise<{ factors: KFACLayerFactors<"float64">[]; gradientScale: number }> {
  const { sums, program } = await runFactorPass(pass, "factors");
  const numData = pass.run.numData as number;
  const scale = gradientScale(pass.loss, numData, program.rowsPerExample, pass.options.numPerExampleLossTerms);
  const factors = pass.layers.map((layer, i): KFACLayerFactors<"float64"> => {
    const dOut = layer.outFeatures;
    const gSum = sums.get(factorNames.gradientMoment(i));
    const gradientCovariance = gSum === undefined ? identity(dOut) : symmetricMatrix(gSum, dOut, scale);
    const base = { layer: layer.name, kind: layer.kind, ...(layer.weight === undefined ? {} : { weight: layer.weight }), ...(layer.bias === undefined ? {} : { bias: layer.bias }) };
    if (layer.weight === undefined) return { ...base, gradientCovariance };
    const aSum = sums.get(factorNames.inputMoment(i));
    if (aSum === undefined) throw new ValueError(`${pass.who}: the factor program did not compute A of layer "${layer.name}"`);
    const dIn = Math.round(Math.sqrt(aSum.length));
    return { ...base, inputCovariance: symmetricMatrix(aSum, dIn, 1 / (numData * program.sharedPositions[i])), gradientCovariance };
  });
  return { factors, gradientScale: scale };
}
