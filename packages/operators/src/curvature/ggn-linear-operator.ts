import { ggnVectorProduct, input, type CurvatureLoss, type Module, type Value } from "@curv/autodiff";
import { ValueError, type FloatDType, type Generator, type Tensor } from "@curv/tensor";
import { CurvatureLinearOperator } from "./curvature-linear-operator.js";
import { checkMcSamples, type CurvatureOptions } from "./curvature-options.js";
import type { CurvatureTrace } from "./curvature-trace.js";
import type { DataSource, IndexedBatch } from "./data-loop.js";
import { DEFAULT_SQUARE_ROOT_BUDGET, GGNSquareRootCache } from "./ggn-square-root-cache.js";
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
  /**
   * Whether products use the GGN's square root kept in memory (exact GGN
   * only): the rows `√w Jₙᵀ Sₙ[:, k]` of every example and output
   * (N·O·P numbers, O the model's outputs per example) are computed once
   * with one pass over the data, and every product is then two dense
   * products, `G V = R (Rᵀ V)` (one compiled program), whose cost grows with V's
   * columns far more slowly than the batched JVP/VJP programs' does.
   * `"auto"` (default): build it once the products asked for O columns in
   * all (building costs about as much as an O-column product) if it fits in
   * `squareRootBudget` and `mcSamples` is 0; `"always"`: build it at the
   * first product (`mcSamples` must be 0); `"never"`: always run the
   * programs. The rows are rebuilt when the model's parameters or buffers
   * change; the data must be the same at every pass.
   */
  readonly squareRootCache?: "auto" | "always" | "never";
  /** Memory budget of `squareRootCache: "auto"` in bytes; default 256 MiB. */
  readonly squareRootBudget?: number;
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
  /** The square-root cache policy ({@link GGNOptions.squareRootCache}). */
  readonly squareRootCache: "auto" | "always" | "never";
  readonly #squareRootBudget: number;
  #cache: GGNSquareRootCache<D> | undefined;
  /** The build in progress: concurrent products wait for one build. */
  #building: Promise<GGNSquareRootCache<D>> | undefined;
  /** Columns multiplied so far without the cache (what `"auto"` weighs against the cost of building it). */
  #columnsAsked = 0;

  constructor(model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: GGNOptions = {}) {
    super(model, lossFunction, params, data, options);
    const who = this.constructor.name;
    this.mcSamples = checkMcSamples(options.mcSamples ?? 0, who);
    const policy = options.squareRootCache ?? "auto";
    if (policy !== "auto" && policy !== "always" && policy !== "never") {
      throw new ValueError(`${who}: squareRootCache must be "auto", "always" or "never", got ${JSON.stringify(policy)}`);
    }
    if (policy === "always" && this.mcSamples > 0) {
      throw new ValueError(`${who}: squareRootCache "always" needs the exact GGN (mcSamples 0), got mcSamples ${this.mcSamples}`);
    }
    const budget = options.squareRootBudget ?? DEFAULT_SQUARE_ROOT_BUDGET;
    if (!(budget >= 0) || !Number.isFinite(budget)) throw new ValueError(`${who}: squareRootBudget must be a non-negative number of bytes, got ${budget}`);
    this.squareRootCache = policy;
    this.#squareRootBudget = budget;
  }

  /** Whether the square root is cached now (see {@link GGNOptions.squareRootCache}). */
  get hasSquareRoot(): boolean {
    return this.#cache !== undefined;
  }

  protected override async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    await this.ready();
    const cache = await this.squareRoot(x.shape[1]);
    return cache === undefined ? super.matmatImpl(x) : cache.times(x);
  }

  /** The cache to use for a product with `columns` columns, built or rebuilt when the policy says so. */
  private async squareRoot(columns: number): Promise<GGNSquareRootCache<D> | undefined> {
    if (this.squareRootCache === "never" || this.mcSamples > 0) return undefined;
    if (this.#building !== undefined) return this.#building;
    if (this.#cache !== undefined) {
      if (this.#cache.isCurrent(this.model)) return this.#cache;
      await this.#cache.dispose();
      this.#cache = undefined;
      this.#columnsAsked = 0;
    }
    if (this.squareRootCache === "auto") {
      const bytes = GGNSquareRootCache.entries(this.run, this.shape[0]) * (this.dtype === "float32" ? 4 : 8);
      this.#columnsAsked += columns;
      const outputs = GGNSquareRootCache.entries(this.run, 1) / (this.run.numData as number);
      if (bytes > this.#squareRootBudget || this.#columnsAsked < outputs) return undefined;
    }
    this.#building = GGNSquareRootCache.build(this.run, this.lossFunction, this.shape[0]);
    try {
      this.#cache = await this.#building;
    } finally {
      this.#building = undefined;
    }
    return this.#cache;
  }

  /** Releases the compiled programs and the cached square root. */
  override async dispose(): Promise<void> {
    const cache = this.#cache;
    this.#cache = undefined;
    await cache?.dispose();
    return super.dispose();
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
