/**
 * What KFAC and EKFAC share: the constructor of every curvature operator,
 * the layers and their Kronecker factors (computed once, on first use), and
 * a block-diagonal matrix in the `[W | b]` layout that answers products,
 * traces, determinants and norms exactly.
 */
import type { CurvatureLoss, Module } from "@curv/autodiff";
import { ValueError, type FloatDType, type SignAndLogDeterminant, type Tensor } from "@curv/tensor";
import { CurvatureRun } from "../curvature/curvature-run.js";
import type { DataSource } from "../curvature/data-loop.js";
import { LinearOperator } from "../linear-operator.js";
import { findKFACLayers, type KFACLayer } from "./kfac-layers.js";
import { resolveKFACOptions, type FisherType, type KFACOptions, type ResolvedKFACOptions } from "./kfac-options.js";
import { kroneckerBlockLayout, type KroneckerBlockLayout } from "./kronecker-block-layout.js";
import { computeKroneckerFactors, type FactorPass, type KFACLayerFactors } from "./kronecker-factors.js";
import { PermutedLinearOperator } from "./permuted-linear-operator.js";

/** The factors in float64 as computed, and the operator they make. */
export interface KroneckerFactoredState<D extends FloatDType> {
  readonly factors: readonly KFACLayerFactors<"float64">[];
  /** `Σ g gᵀ` → G, which EKFAC's eigenvalue correction shares. */
  readonly gradientScale: number;
  readonly operator: PermutedLinearOperator<D>;
}

/**
 * The base of {@link KFACLinearOperator} and {@link EKFACLinearOperator}
 * (curvlinops' `KFACLinearOperator`, which `EKFACLinearOperator` extends):
 * the data, the layers, the factors computed on first use, and exact
 * reductions from the blocks.
 *
 * @example
 * ```ts
 * const operators: KroneckerFactoredLinearOperator[] = [new KFACLinearOperator(model, loss, params, data), new EKFACLinearOperator(model, loss, params, data)];
 * for (const op of operators) console.log(op.constructor.name, await op.trace(), op.layers.map((l) => l.name));
 * ```
 */
export abstract class KroneckerFactoredLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly model: Module;
  readonly lossFunction: CurvatureLoss;
  /** The parameters' dotted names, in the operator's block order. */
  readonly parameterNames: readonly string[];
  /** KFAC's own options, defaults filled in. */
  readonly kfacOptions: ResolvedKFACOptions;
  /** The factored layers, in the model's module order. */
  readonly layers: readonly KFACLayer[];
  protected readonly run: CurvatureRun<D>;
  protected readonly layout: KroneckerBlockLayout;
  #state: Promise<KroneckerFactoredState<D>> | undefined;

  constructor(
    model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: KFACOptions, fisherTypes: readonly FisherType[],
  ) {
    const who = new.target.name;
    const kfacOptions = resolveKFACOptions(who, options, fisherTypes);
    const run = new CurvatureRun<D>(model, params, data, options, who);
    super({ dtype: run.dtype, inputShapes: run.selection.shapes, outputShapes: run.selection.shapes });
    if (lossFunction === null || typeof lossFunction !== "object" || typeof lossFunction.hessianSqrt !== "function") {
      throw new ValueError(`${who}: lossFunction must be a curvature loss such as new MSELoss(), got ${String(lossFunction)}`);
    }
    this.model = model;
    this.lossFunction = lossFunction;
    this.parameterNames = run.selection.names;
    this.kfacOptions = kfacOptions;
    this.layers = findKFACLayers(who, model, run.selection.names);
    this.run = run;
    this.layout = kroneckerBlockLayout(this.layers, run.selection.names, run.selection.shapes, kfacOptions.separateWeightAndBias);
  }

  /** The block-diagonal matrix in the `[W | b]` layout, from the factors. */
  protected abstract buildOperator(pass: FactorPass<D>, factors: readonly KFACLayerFactors<"float64">[], gradientScale: number): Promise<LinearOperator<D>>;

  /** KFAC's factors (one pass over the data); EKFAC may take them as given. */
  protected computeFactors(): Promise<{ factors: KFACLayerFactors<"float64">[]; gradientScale: number }> {
    return computeKroneckerFactors(this.pass);
  }

  /** The data pass' ingredients. */
  protected get pass(): FactorPass<D> {
    return { who: this.constructor.name, run: this.run, loss: this.lossFunction, layers: this.layers, options: this.kfacOptions };
  }

  /** Computes the factors (one pass over the data; EKFAC: two) unless done; every product awaits it. */
  protected state(): Promise<KroneckerFactoredState<D>> {
    this.#state ??= (async () => {
      const { factors, gradientScale } = await this.computeFactors();
      const inner = await this.buildOperator(this.pass, factors, gradientScale);
      return { factors, gradientScale, operator: new PermutedLinearOperator(inner, this.layout.order, this.inputShapes) };
    })();
    // A failed computation is not cached: the next call tries again (after the user fixed the data, say).
    this.#state.catch(() => (this.#state = undefined));
    return this.#state;
  }

  /** Computes the factors now (otherwise the first product does). */
  async ready(): Promise<void> {
    await this.state();
  }

  /** N, the number of examples (known after {@link KroneckerFactoredLinearOperator.ready}). */
  get numData(): number | undefined {
    return this.run.numData;
  }

  /**
   * The Kronecker factors by layer name (`"0"`, `"features.3"`): A (input
   * covariance; with the bias' one when weight and bias share a block) and G
   * (output-gradient covariance), in the operator's dtype, or in `dtype`
   * (`"float64"`: the factors as computed, whatever the operator's dtype).
   */
  async factors<E extends FloatDType = D>({ dtype }: { dtype?: E } = {}): Promise<Record<string, KFACLayerFactors<E>>> {
    const { factors } = await this.state();
    const target = (dtype ?? this.dtype) as E;
    const cast = (t: Tensor<"float64">) => t.astype(target) as Tensor<E>;
    return Object.fromEntries(factors.map(({ inputCovariance, gradientCovariance, ...layer }): [string, KFACLayerFactors<E>] => [layer.layer, {
      ...layer,
      gradientCovariance: cast(gradientCovariance),
      ...(inputCovariance === undefined ? {} : { inputCovariance: cast(inputCovariance) }),
    }]));
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    return (await this.state()).operator.matmat(x);
  }

  adjoint(): LinearOperator<D> {
    return this;
  }

  override get isSelfAdjoint(): boolean {
    return true;
  }

  /** Exact, from the blocks. */
  override async trace(): Promise<number> {
    return (await this.state()).operator.trace();
  }

  /** Exact, from the blocks. */
  override async det(): Promise<number> {
    return (await this.state()).operator.det();
  }

  /** Exact, from the blocks. */
  override async slogdet(): Promise<SignAndLogDeterminant> {
    return (await this.state()).operator.slogdet();
  }

  /** Exact, from the blocks. */
  override async frobeniusNorm(): Promise<number> {
    return (await this.state()).operator.frobeniusNorm();
  }
}
