import { ggnVectorProduct, input, type CurvatureLoss, type Module, type Value } from "@curv/autodiff";
import type { FloatDType, Generator, Tensor } from "@curv/tensor";
import { CurvatureLinearOperator } from "./curvature-linear-operator.js";
import { checkMcSamples, type CurvatureOptions } from "./curvature-options.js";
import type { CurvatureTrace } from "./curvature-trace.js";
import type { DataSource, IndexedBatch } from "./data-loop.js";
import { sampledFisherCotangent, throughOutput } from "./output-space.js";

/** Options of {@link GGNLinearOperator}. */
export interface GGNOptions extends CurvatureOptions {
  /**
   * 0 (default): the exact GGN. M > 0: the Monte-Carlo Fisher with M sampled
   * targets per loss term (MSELoss, CrossEntropyLoss, BCEWithLogitsLoss).
   */
  readonly mcSamples?: number;
  /** Seed of the MC draws, reseeded every product so the operator is one fixed matrix; default 2147483647 (curvlinops'). */
  readonly seed?: number;
}

/**
 * The generalized Gauss-Newton matrix `c Σₙ Jₙᵀ ∇²_f ℓₙ Jₙ` of the loss over
 * the data set (Schraudolph 2002; Martens 2010), or with `mcSamples > 0` its
 * Monte-Carlo approximation, the MC Fisher, where the loss Hessian
 * `Sₙ Sₙᵀ` is replaced by M sampled gradients `g̃ g̃ᵀ / M`; corresponds to
 * curvlinops' `GGNLinearOperator` (`mc_samples`, `seed`).
 *
 * Each batch's product is one JVP, one output-space product and one VJP,
 * mapped over the K columns of a `matmat` in one run. The MC draws are made
 * on the host from a generator reseeded with `seed` at every product, in
 * batch order, and every column sees the same draws: the MC operator is one
 * fixed matrix, and `matmat` equals column-by-column `matvec`.
 *
 * @example
 * ```ts
 * const ggn = new GGNLinearOperator(model, new CrossEntropyLoss(), names, data, { runtime: "js" });
 * const fisher = new GGNLinearOperator(model, new CrossEntropyLoss(), names, data, { mcSamples: 100, seed: 0 });
 * const [gv, fv] = [await ggn.matvec(v), await fisher.matvec(v)];
 * ```
 */
export class GGNLinearOperator<D extends FloatDType = FloatDType> extends CurvatureLinearOperator<D> {
  /** 0 for the exact GGN, else the MC samples per loss term. */
  readonly mcSamples: number;

  constructor(model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: GGNOptions = {}) {
    super(model, lossFunction, params, data, options);
    this.mcSamples = checkMcSamples(options.mcSamples ?? 0, this.constructor.name);
  }

  protected override extraInputs(trace: CurvatureTrace): Value[] {
    if (this.mcSamples === 0) return [];
    const spec = this.lossFunction.noiseSpec(trace.output, this.mcSamples);
    return [input("noise", spec.dtype, spec.shape)];
  }

  protected override extraFeeds(batch: IndexedBatch, generator: Generator): Record<string, Tensor> {
    if (this.mcSamples === 0) return {};
    const outputShape = [batch.X.shape[0], ...this.run.outputTrailingShape()];
    return { noise: this.lossFunction.drawNoise(generator, outputShape, this.mcSamples, this.dtype) };
  }

  protected vectorProduct(trace: CurvatureTrace, vectors: readonly Value[], extra: readonly Value[]): Value[] {
    const lossOf = (output: Value) => trace.lossOf(this.lossFunction, output, this.constructor.name);
    if (this.mcSamples === 0) return ggnVectorProduct((params) => trace.forward(params), lossOf, trace.selected, vectors);
    return throughOutput(trace, vectors, (output, jv) => sampledFisherCotangent(this.lossFunction, output, jv, extra[0], this.mcSamples));
  }
}
