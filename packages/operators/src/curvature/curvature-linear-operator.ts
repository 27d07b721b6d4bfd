/**
 * The base of the curvature operators that live in parameter space
 * (Hessian, GGN, Monte-Carlo Fisher, empirical Fisher): curvlinops'
 * `CurvatureLinearOperator`. A product is one pass over the data; each batch
 * runs one compiled program that maps the per-vector product over the K
 * columns (`vmap`), and the batches' results are summed with curvlinops'
 * weights (`N_b / N` under mean reduction, 1 under sum).
 */
import { Generator, ValueError, type FloatDType, type Tensor } from "@curv/tensor";
import {
  input, valueAndGrad, vmap, type CompiledFunction, type CurvatureLoss, type Module, type Program, type Value,
} from "@curv/autodiff";
import { LinearOperator } from "../linear-operator.js";
import { stackedBlocks, WeightedSum } from "./column-layout.js";
import { CurvatureRun } from "./curvature-run.js";
import type { CurvatureOptions } from "./curvature-options.js";
import type { CurvatureTrace } from "./curvature-trace.js";
import type { DataSource, IndexedBatch } from "./data-loop.js";
import { ProgramCache } from "./program-cache.js";

/** The gradient of the loss over the data set (list format) and the loss (curvlinops' `gradient_and_loss`). */
export interface GradientAndLoss<D extends FloatDType> {
  readonly gradient: Tensor<D>[];
  readonly loss: number;
}

/**
 * A curvature matrix of the loss `L(θ) = c Σₙ ℓ(f_θ(xₙ), yₙ)` over a whole
 * data set (`c = 1/N` under mean reduction, 1 under sum), with respect to
 * the selected parameters: square, symmetric, blocks in the order of
 * `params`. Subclasses say what one batch contributes to a product with one
 * vector.
 *
 * The constructor is synchronous and checks what it can without the data
 * (parameter names, options, a model that draws random numbers). Counting N
 * (unless `numData` is given) and the determinism checks run before the
 * first product; `await operator.ready()` runs them eagerly.
 */
export abstract class CurvatureLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly model: Module;
  readonly lossFunction: CurvatureLoss;
  /** The selected parameters' dotted names, in block order. */
  readonly parameterNames: readonly string[];
  protected readonly run: CurvatureRun<D>;
  readonly #programs: ProgramCache;
  #ready: Promise<void> | undefined;

  constructor(model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: CurvatureOptions = {}) {
    const run = new CurvatureRun<D>(model, params, data, options, new.target.name);
    super({ dtype: run.dtype, inputShapes: run.selection.shapes, outputShapes: run.selection.shapes });
    if (lossFunction === null || typeof lossFunction !== "object" || typeof lossFunction.value !== "function") {
      throw new ValueError(`${new.target.name}: lossFunction must be a loss such as new MSELoss(), got ${String(lossFunction)}`);
    }
    this.model = model;
    this.lossFunction = lossFunction;
    this.parameterNames = run.selection.names;
    this.run = run;
    this.#programs = new ProgramCache(run.compileOptions);
  }

  /** One batch's product with one vector (list format, one value per selected parameter), before the batch weight. */
  protected abstract vectorProduct(trace: CurvatureTrace, vectors: readonly Value[], extra: readonly Value[]): Value[];

  /** Inputs a subclass's products read besides data, leaves and vectors (the MC noise); none by default. */
  protected extraInputs(_trace: CurvatureTrace): Value[] {
    return [];
  }

  /** Feeds of {@link CurvatureLinearOperator.extraInputs} for a batch, drawn from the product's generator. */
  protected extraFeeds(_batch: IndexedBatch, _generator: Generator): Record<string, Tensor> {
    return {};
  }

  /** N, the number of examples (known after {@link CurvatureLinearOperator.ready}). */
  get numData(): number | undefined {
    return this.run.numData;
  }

  override get isSelfAdjoint(): boolean {
    return true;
  }

  adjoint(): LinearOperator<D> {
    return this;
  }

  /** Reads the data's types, counts N if needed and runs the determinism checks; later calls return at once. */
  async ready(): Promise<this> {
    this.#ready ??= this.prepare();
    try {
      await this.#ready;
    } catch (error) {
      this.#ready = undefined;
      throw error;
    }
    return this;
  }

  private async prepare(): Promise<void> {
    await this.run.prepare();
    if (!this.run.checkDeterministic) return;
    const [first, second] = [await this.gradientAndLossUnchecked(), await this.gradientAndLossUnchecked()];
    this.run.assertSamePass(first, second);
    const probe = new Generator(0).normal([this.shape[1], 1], { dtype: this.dtype });
    const [a, b] = [await this.product(probe), await this.product(probe)];
    this.run.assertSameProducts(a, b);
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    await this.ready();
    return this.product(x);
  }

  /** `A X` over the data, without the readiness checks. */
  private async product(x: Tensor<D>): Promise<Tensor<D>> {
    const columns = x.shape[1];
    const program = await this.productProgram(columns);
    const probes = Object.fromEntries(stackedBlocks(x, this.inputShapes).map((block, i) => [`probe.${i}`, block]));
    const generator = this.run.productGenerator();
    const sum = await this.run.loop.mapReduce(
      (batch) => this.run.runBatch(program, batch, generator, { ...probes, ...this.extraFeeds(batch, generator) }),
      (total, outputs, batch) => total.addStacked(this.inputShapes.map((_, i) => outputs[`product.${i}`]), this.run.batchWeight(this.lossFunction, batch)),
      new WeightedSum(this.shape[0], columns),
    );
    return sum.toTensor(this.dtype);
  }

  private productProgram(columns: number): Promise<CompiledFunction> {
    return this.#programs.get(columns, () => {
      const trace = this.run.trace();
      const extra = this.extraInputs(trace);
      const probes = this.inputShapes.map((shape, i) => input(`probe.${i}`, this.dtype, [columns, ...shape]));
      const products = vmap((vectors) => this.vectorProduct(trace, vectors, extra), columns, probes.map(() => true))(probes);
      const outputs = products.map((value, i) => ({ name: `product.${i}`, value }));
      return trace.program(`${this.constructor.name}_${columns}`, outputs, [...extra, ...probes]);
    });
  }

  /**
   * The gradient of the loss over the data set with respect to the selected
   * parameters, and the loss (curvlinops' `gradient_and_loss`), each batch
   * weighted as in the products.
   *
   * @example
   * ```ts
   * const { gradient, loss } = await hessian.gradientAndLoss();   // gradient: one tensor per parameter
   * ```
   */
  async gradientAndLoss(): Promise<GradientAndLoss<D>> {
    await this.ready();
    return this.gradientAndLossUnchecked();
  }

  private async gradientAndLossUnchecked(): Promise<GradientAndLoss<D>> {
    const program = await this.#programs.get("gradient", () => this.gradientProgram());
    const generator = this.run.productGenerator();
    let loss = 0;
    const sum = await this.run.loop.mapReduce(
      (batch) => this.run.runBatch(program, batch, generator, {}),
      (total, outputs, batch) => {
        const weight = this.run.batchWeight(this.lossFunction, batch);
        loss += weight * outputs.loss.item();
        return total.addStacked(this.inputShapes.map((_, i) => outputs[`gradient.${i}`]), weight);
      },
      new WeightedSum(this.shape[0], 1),
    );
    const gradient = stackedBlocks(sum.toTensor(this.dtype), this.inputShapes).map((block, i) => block.reshape([...this.inputShapes[i]]));
    return { gradient, loss };
  }

  private gradientProgram(): Program {
    const trace = this.run.trace();
    const objective = (params: Value[]) => trace.lossOf(this.lossFunction, trace.forward(params), this.constructor.name);
    const [loss, gradient] = valueAndGrad(objective)([...trace.selected]);
    const outputs = [{ name: "loss", value: loss }, ...gradient.map((value, i) => ({ name: `gradient.${i}`, value }))];
    return trace.program(`${this.constructor.name}_gradient`, outputs, []);
  }

  /** Releases the compiled programs (the runtime's sessions); a later product compiles again. */
  dispose(): Promise<void> {
    return this.#programs.dispose();
  }
}
