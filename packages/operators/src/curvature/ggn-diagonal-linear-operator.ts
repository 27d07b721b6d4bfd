import {
  input, literal, mul, reduceSum, reshape, transpose, vjp, vmap, type CurvatureLoss, type Module, type Program, type Value,
} from "@curv/autodiff";
import { Tensor, eye, sizeOf, stack, type FloatDType, type Generator } from "@curv/tensor";
import { DiagonalLinearOperator } from "../diagonal-linear-operator.js";
import { stackedBlocks, WeightedSum } from "./column-layout.js";
import { checkMcSamples } from "./curvature-options.js";
import { assertDeterministicLayers, CurvatureRun } from "./curvature-run.js";
import type { CurvatureTrace } from "./curvature-trace.js";
import type { DataSource, IndexedBatch } from "./data-loop.js";
import type { GGNOptions } from "./ggn-linear-operator.js";
import { ProgramCache } from "./program-cache.js";

/**
 * The diagonal of the GGN, `c Σₙ Σₖ (Jₙᵀ Sₙ[:, k])²` with `Sₙ Sₙᵀ` the
 * loss Hessian of example n, or with `mcSamples = M > 0` of the MC Fisher,
 * `c Σₙ (1/M) Σₘ (Jₙᵀ g̃ₙₘ)²`; corresponds to curvlinops'
 * `GGNDiagonalLinearOperator` (`mc_samples`, `seed`).
 *
 * As in curvlinops the diagonal is computed eagerly and kept as a
 * {@link DiagonalLinearOperator} (exact `trace`, `logdet`, `inverse(damping)`),
 * so the operator is made by the async {@link GGNDiagonalLinearOperator.compute}.
 * Each batch runs one program that maps a batch-of-one forward over the
 * batch's examples (`vmap`), and for each example back-propagates the
 * columns of `Sₙ` (or the M sampled gradients) in one batched VJP; it is
 * compiled once per batch size. The model must be deterministic.
 *
 * @example
 * ```ts
 * const diagonal = await GGNDiagonalLinearOperator.compute(model, new CrossEntropyLoss(), names, data, { runtime: "js" });
 * diagonal.diagonal;                       // one tensor per parameter
 * const preconditioner = diagonal.inverse(1e-3);
 * ```
 */
export class GGNDiagonalLinearOperator<D extends FloatDType = FloatDType> extends DiagonalLinearOperator<D> {
  /** 0 for the exact GGN's diagonal, else the MC samples per example. */
  readonly mcSamples: number;
  /** The selected parameters' dotted names, in block order. */
  readonly parameterNames: readonly string[];

  /** Wraps a computed diagonal (one tensor per parameter); use {@link GGNDiagonalLinearOperator.compute} to compute one. */
  constructor(diagonal: readonly Tensor<D>[], parameterNames: readonly string[], mcSamples: number) {
    super(diagonal);
    this.parameterNames = Object.freeze([...parameterNames]);
    this.mcSamples = mcSamples;
  }

  /**
   * Computes the diagonal over the data set: `(model, lossFunction, params,
   * data, options)` as for {@link GGNLinearOperator}. With
   * `checkDeterministic` (default) it is computed twice and the two must agree.
   */
  static async compute<D extends FloatDType = FloatDType>(
    model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: GGNOptions = {},
  ): Promise<GGNDiagonalLinearOperator<D>> {
    const who = "GGNDiagonalLinearOperator";
    const mcSamples = checkMcSamples(options.mcSamples ?? 0, who);
    // Examples are mapped with vmap, so the forward must not draw random numbers, whatever checkDeterministic says.
    assertDeterministicLayers(model, who);
    const run = new CurvatureRun<D>(model, params, data, options, who);
    await run.prepare();
    const computer = new DiagonalComputer(run, lossFunction, mcSamples);
    try {
      const diagonal = await computer.diagonal();
      if (run.checkDeterministic) run.assertSameProducts(diagonal, await computer.diagonal());
      const blocks = stackedBlocks(diagonal, run.selection.shapes).map((b, i) => b.reshape([...run.selection.shapes[i]]));
      return new GGNDiagonalLinearOperator(blocks, run.selection.names, mcSamples);
    } finally {
      await computer.dispose();
    }
  }
}

/**
 * The rows of a square root of the GGN (or MC Fisher), batch by batch:
 * `visit(rows, batch)` receives one tensor per selected parameter,
 * `[N_b, K, ...shape]`, holding for every example n and seed k the
 * per-example gradient `√w Jₙᵀ Sₙ[:, k]` (w the example's weight, 1/N under
 * mean reduction; with `mcSamples = M` the k-th sampled gradient times
 * `√(w/M)`), so that the GGN is `Σ r rᵀ` over batches, examples and seeds.
 * This is the raw material of per-example representations (NNGeometry's
 * dense, block-diagonal, quasi-diagonal and low-rank Fishers); the same
 * per-batch program as {@link GGNDiagonalLinearOperator}'s, without the
 * squaring. Batches are visited in order; the model must be deterministic.
 *
 * @example
 * ```ts
 * await ggnSquareRootRows(model, new CrossEntropyLoss(), names, data, { runtime: "js" }, (rows) => {
 *   rows[0].shape;   // [N_b, C, ...shape of the first parameter]
 * });
 * ```
 */
export async function ggnSquareRootRows<D extends FloatDType = FloatDType>(
  model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: GGNOptions,
  visit: (rows: Tensor<D>[], batch: IndexedBatch) => void,
): Promise<void> {
  const who = "ggnSquareRootRows";
  const mcSamples = checkMcSamples(options.mcSamples ?? 0, who);
  assertDeterministicLayers(model, who);
  const run = new CurvatureRun<D>(model, params, data, options, who);
  await run.prepare();
  const computer = new DiagonalComputer(run, lossFunction, mcSamples, "rows");
  try {
    await computer.rows(visit);
  } finally {
    await computer.dispose();
  }
}

/** The per-batch-size programs and the pass over the data (also the GGN operator's square-root cache). */
export class DiagonalComputer<D extends FloatDType> {
  readonly #programs: ProgramCache;

  constructor(
    readonly run: CurvatureRun<D>,
    readonly loss: CurvatureLoss,
    readonly mcSamples: number,
    /** `"diagonal"`: each batch's `Σₙₖ (Jₙᵀ uₙₖ)²`; `"rows"`: the per-example gradients `Jₙᵀ uₙₖ` themselves. */
    readonly mode: "diagonal" | "rows" = "diagonal",
  ) {
    this.#programs = new ProgramCache(run.compileOptions);
  }

  /** Visits each batch's rows (mode `"rows"`), scaled by `√(w/M)` as {@link ggnSquareRootRows} says. */
  async rows(visit: (rows: Tensor<D>[], batch: IndexedBatch) => void): Promise<void> {
    const generator = this.run.productGenerator();
    const weight = this.loss.reduction === "mean" ? 1 / (this.run.numData as number) : 1;
    const scale = Math.sqrt(weight / Math.max(this.mcSamples, 1));
    await this.run.loop.mapReduce(
      async (batch) => {
        const examples = batch.X.shape[0];
        const program = await this.#programs.get(examples, () => this.build(examples));
        return this.run.runBatch(program, asExampleBatches(batch), generator, this.noiseFeeds(batch, generator));
      },
      (_, outputs, batch) => {
        const rows = this.run.selection.shapes.map((_, i) => {
          const t = outputs[`rows.${i}`] as Tensor<D>;
          const out = new Tensor(t.dtype, t.shape) as Tensor<D>;
          for (let j = 0; j < t.data.length; j++) out.data[j] = (t.data[j] as number) * scale;
          return out;
        });
        visit(rows, batch);
        return 0;
      },
      0,
    );
  }

  /** The diagonal as a `[P, 1]` matrix. */
  async diagonal(): Promise<Tensor<D>> {
    const generator = this.run.productGenerator();
    // c = 1/N_b times the batch weight N_b/N under mean: every example weighs 1/N.
    const weight = this.loss.reduction === "mean" ? 1 / (this.run.numData as number) : 1;
    const sum = await this.run.loop.mapReduce(
      async (batch) => {
        const examples = batch.X.shape[0];
        const program = await this.#programs.get(examples, () => this.build(examples));
        return this.run.runBatch(program, asExampleBatches(batch), generator, this.noiseFeeds(batch, generator));
      },
      (total, outputs) => total.addStacked(this.run.selection.shapes.map((_, i) => outputs[`diagonal.${i}`]), weight),
      new WeightedSum(this.run.selection.shapes.reduce((n, shape) => n + sizeOf(shape), 0), 1),
    );
    return sum.toTensor(this.run.dtype);
  }

  private noiseFeeds(batch: IndexedBatch, generator: Generator): Record<string, Tensor> {
    if (this.mcSamples === 0) return {};
    const outputShape = [1, ...this.run.outputTrailingShape()];
    const draws = Array.from({ length: batch.X.shape[0] }, () => this.loss.drawNoise(generator, outputShape, this.mcSamples, this.run.dtype));
    return { noise: stack(draws, 0) };
  }

  private build(examples: number): Program {
    const trace = this.run.trace();
    const { X } = this.run.specs;
    // The hessianSqrt and sampled gradients of MSE, cross-entropy and BCE do not depend on the targets: no y input.
    const xs = input("x", X.dtype, [examples, 1, ...X.shape.slice(1)]);
    const noiseSpec = this.loss.noiseSpec({ dtype: this.run.dtype, shape: [1, ...this.run.outputTrailingShape()] }, Math.max(this.mcSamples, 1));
    const noise = input("noise", noiseSpec.dtype, [examples, ...noiseSpec.shape]);
    const args = this.mcSamples > 0 ? [xs, noise] : [xs];
    if (this.mode === "rows") {
      const rows = vmap(([x, noiseOne]) => this.exampleGradients(trace, x, noiseOne), examples, args.map(() => true))(args);
      return trace.program(`ggnSquareRootRows_${examples}`, rows.map((r, i) => ({ name: `rows.${i}`, value: r })), args.slice(1), [xs]);
    }
    const diagonals = vmap(([x, noiseOne]) => this.exampleDiagonal(trace, x, noiseOne), examples, args.map(() => true))(args);
    const outputs = diagonals.map((d, i) => ({ name: `diagonal.${i}`, value: reduceSum(d, [0]) }));
    return trace.program(`GGNDiagonalLinearOperator_${examples}`, outputs, args.slice(1), [xs]);
  }

  /** One example's `Jᵀ uₖ` per parameter, `[K, ...shape]`, for the columns uₖ of S (or the M sampled gradients). */
  private exampleGradients(trace: CurvatureTrace, x: Value, noise: Value | undefined): Value[] {
    const forward = (params: Value[]) => [trace.forward(params, x)];
    const [[output], pullback] = vjp(forward, trace.selected);
    const cotangents = noise === undefined ? sqrtColumns(this.loss, output) : this.loss.sampledGradients(output, noise);
    const count = cotangents.shape[0] as number;
    return vmap(([u]) => pullback([u]), count, [true])([cotangents]);
  }

  /** One example's `Σₖ (Jᵀ uₖ)²` per parameter, for the columns uₖ of S (or the M sampled gradients, divided by M). */
  private exampleDiagonal(trace: CurvatureTrace, x: Value, noise: Value | undefined): Value[] {
    const scale = noise === undefined ? 1 : 1 / this.mcSamples;
    return this.exampleGradients(trace, x, noise).map((g) => mul(reduceSum(mul(g, g), [0]), scale));
  }

  dispose(): Promise<void> {
    return this.#programs.dispose();
  }
}

/**
 * The columns of one example's loss-Hessian square root as output-shaped
 * cotangents, `[R·C, ...output.shape]`. `hessianSqrt` gives one `[C, C]`
 * block per row (R rows, the class axis last); the example's square root
 * is block-diagonal over the rows, so column `(r, k)` is block r's column k
 * in row r and zero elsewhere: `T[r, k, r', c] = δ(r, r') S[r', c, k]`.
 * The class axis then goes back where the output has it (axis 1 for
 * cross-entropy).
 */
function sqrtColumns(loss: CurvatureLoss, output: Value): Value {
  const s = loss.hessianSqrt(output);
  const classes = s.shape[s.rank - 1] as number;
  const rowShape = s.shape.slice(0, -2) as number[];
  const rows = rowShape.reduce((a, b) => a * b, 1);
  const blocks = transpose(reshape(s, [rows, classes, classes]), [2, 0, 1]);
  const identity = literal(eye(rows, rows, output.dtype as FloatDType));
  const columns = mul(reshape(identity, [rows, 1, rows, 1]), reshape(blocks, [1, classes, rows, classes]));
  let cotangents = reshape(columns, [rows * classes, ...rowShape, classes]);
  if (loss.kind === "CrossEntropyLoss" && output.rank > 2) {
    // [R·C, 1, d..., class] -> [R·C, 1, class, d...]
    const rank = cotangents.rank;
    cotangents = transpose(cotangents, [0, 1, rank - 1, ...Array.from({ length: rank - 3 }, (_, i) => i + 2)]);
  }
  return reshape(cotangents, [rows * classes, ...output.shape]);
}

/** A batch with X reshaped to `[N_b, 1, ...]`: N_b batches of one, for the per-example program. */
function asExampleBatches(batch: IndexedBatch): IndexedBatch {
  return { ...batch, X: batch.X.reshape([batch.X.shape[0], 1, ...batch.X.shape.slice(1)]) };
}
