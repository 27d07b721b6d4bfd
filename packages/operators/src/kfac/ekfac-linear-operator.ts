import type { CurvatureLoss, Module } from "@curv/autodiff";
import { eigh, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { BlockDiagonalLinearOperator } from "../block-diagonal-linear-operator.js";
import type { DataSource } from "../curvature/data-loop.js";
import { checkDamping } from "../damped-inverse.js";
import { EigendecomposedLinearOperator } from "../eigendecomposed-linear-operator.js";
import { KroneckerProductLinearOperator } from "../kronecker-product-linear-operator.js";
import type { LinearOperator } from "../linear-operator.js";
import type { KFACOptions } from "./kfac-options.js";
import { factorNames } from "./kronecker-factor-program.js";
import { KroneckerFactoredLinearOperator } from "./kronecker-factored-linear-operator.js";
import { gradientScale, runFactorPass, type FactorPass, type KFACLayerFactors } from "./kronecker-factors.js";

/** Options of {@link EKFACLinearOperator}: KFAC's, and optionally the factors whose eigenbases to keep. */
export interface EKFACOptions extends KFACOptions {
  /**
   * KFAC factors by layer name (as {@link KroneckerFactoredLinearOperator.factors}
   * gives them): their eigenbases are kept and only the eigenvalues are
   * computed from this operator's data (NNGeometry's `update_diag`: an
   * eigenbasis from earlier data or parameters, eigenvalues from the current
   * ones). Default: the factors of this operator's data.
   */
  readonly kfacFactors?: Readonly<Record<string, KFACLayerFactors>>;
}

/** One layer's eigendecomposition in EKFAC: the factors' eigenbases and the corrected eigenvalues. */
export interface EKFACLayerEigendecomposition<D extends FloatDType = FloatDType> {
  readonly layer: string;
  /** `Q_G`, `[d_out, d_out]`, eigenvectors in columns. */
  readonly gradientEigenvectors: Tensor<D>;
  /** `Q_A`, `[D_in, D_in]`; absent when the weight is not among the parameters. */
  readonly inputEigenvectors?: Tensor<D>;
  /** The corrected eigenvalues of the weight's (or joint `[W | b]`) block, `[d_out · D_in]`, row-major over (g, a). */
  readonly eigenvalues?: Tensor<D>;
  /** The corrected eigenvalues of a separate bias block, `[d_out]`. */
  readonly biasEigenvalues?: Tensor<D>;
}

/**
 * Eigenvalue-corrected KFAC (George et al. 2018): curvlinops'
 * `EKFACLinearOperator`. Each block keeps KFAC's eigenbasis `Q_G ⊗ Q_A` but
 * replaces the eigenvalues by the second moments of the per-example
 * gradients in that basis, `λ*ᵢⱼ = s Σ_{n,k} ((Q_Gᵀ Grₙₖ Q_A)ᵢⱼ)²` with
 * `Grₙₖ = Σ_s gₙₖₛ aₙₛᵀ` (always the expand format) and s the scale of G. The
 * corrected eigenvalues are the exact diagonal of the block's curvature in
 * that basis, so the trace of type-2 EKFAC equals the GGN's, and EKFAC is at
 * least as close to it in Frobenius norm as KFAC.
 *
 * Two passes over the data: the factors, then the correction.
 *
 * @example
 * ```ts
 * const ekfac = new EKFACLinearOperator(model, new MSELoss(), params, batches, { fisherType: "type-2", runtime: "js" });
 * await ekfac.trace();                          // Σ λ*
 * const inverse = await ekfac.inverse(1e-3);    // exact: Q (Λ* + 1e-3)⁻¹ Qᵀ per block
 * ```
 */
export class EKFACLinearOperator<D extends FloatDType = FloatDType> extends KroneckerFactoredLinearOperator<D> {
  readonly #givenFactors: Readonly<Record<string, KFACLayerFactors>> | undefined;
  #eigendecomposition: Record<string, EKFACLayerEigendecomposition<D>> | undefined;

  constructor(model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: EKFACOptions = {}) {
    super(model, lossFunction, params, data, options, ["type-2", "mc", "empirical"]);
    this.#givenFactors = options.kfacFactors;
    if (this.#givenFactors !== undefined) {
      const missing = this.layers.filter((layer) => this.#givenFactors?.[layer.name] === undefined).map((layer) => `"${layer.name}"`);
      if (missing.length > 0) throw new ValueError(`${this.constructor.name}: kfacFactors has no factors of the layers ${missing.join(", ")}`);
    }
  }

  protected override async computeFactors(): Promise<{ factors: KFACLayerFactors<"float64">[]; gradientScale: number }> {
    const given = this.#givenFactors;
    if (given === undefined) return super.computeFactors();
    await this.run.prepare();
    const cast = (t: Tensor | undefined) => t?.astype("float64");
    const factors = this.layers.map((layer): KFACLayerFactors<"float64"> => {
      const { inputCovariance, gradientCovariance, ...rest } = given[layer.name];
      const input = cast(inputCovariance);
      return { ...rest, gradientCovariance: gradientCovariance.astype("float64"), ...(input === undefined ? {} : { inputCovariance: input }) };
    });
    // EKFAC has one loss term (row) per example, so G's scale is that of one row.
    return { factors, gradientScale: gradientScale(this.lossFunction, this.run.numData as number, 1, this.kfacOptions.numPerExampleLossTerms) };
  }

  /** The eigenbases of the factors and the corrected eigenvalues, by layer name (computed with the factors). */
  async eigendecomposition(): Promise<Record<string, EKFACLayerEigendecomposition<D>>> {
    await this.state();
    return this.#eigendecomposition as Record<string, EKFACLayerEigendecomposition<D>>;
  }

  protected async buildOperator(pass: FactorPass<D>, factors: readonly KFACLayerFactors<"float64">[], gradientScale: number): Promise<BlockDiagonalLinearOperator<D>> {
    const cast = (t: Tensor<FloatDType>) => t.astype(this.dtype) as Tensor<D>;
    const bases = factors.map((f) => ({
      gradient: eigh(f.gradientCovariance).eigenvectors,
      input: f.inputCovariance === undefined ? undefined : eigh(f.inputCovariance).eigenvectors,
    }));
    const feeds: Record<string, Tensor> = {};
    bases.forEach((q, i) => {
      feeds[factorNames.gradientEigenbasis(i)] = cast(q.gradient);
      if (q.input !== undefined) feeds[factorNames.inputEigenbasis(i)] = cast(q.input);
    });
    const { sums } = await runFactorPass(pass, "eigenvalue-correction", feeds);
    const eigenvalues = (name: string) => {
      const sum = sums.get(name) as Float64Array;
      const out = new Tensor(this.dtype, [sum.length]);
      for (let i = 0; i < sum.length; i++) out.data[i] = gradientScale * sum[i];
      return out;
    };
    const decomposition: Record<string, EKFACLayerEigendecomposition<D>> = {};
    factors.forEach((f, i) => {
      const input = bases[i].input;
      const corrected = sums.has(factorNames.correction(i)) ? { eigenvalues: eigenvalues(factorNames.correction(i)) } : {};
      const bias = sums.has(factorNames.biasCorrection(i)) ? { biasEigenvalues: eigenvalues(factorNames.biasCorrection(i)) } : {};
      decomposition[f.layer] = { layer: f.layer, gradientEigenvectors: cast(bases[i].gradient), ...(input === undefined ? {} : { inputEigenvectors: cast(input) }), ...corrected, ...bias };
    });
    this.#eigendecomposition = decomposition;
    return new BlockDiagonalLinearOperator(this.layout.blocks.map(({ layerIndex: i, role }) => {
      const qg = cast(bases[i].gradient);
      if (role === "bias") return new EigendecomposedLinearOperator(eigenvalues(factorNames.biasCorrection(i)), qg);
      const basis = new KroneckerProductLinearOperator(qg, cast(bases[i].input as Tensor<"float64">));
      return new EigendecomposedLinearOperator(eigenvalues(factorNames.correction(i)), basis);
    }));
  }

  /** `(EKFAC + damping·I)⁻¹`, exact: each block's corrected eigenvalues shifted by `damping` (curvlinops' `inverse(damping)`). */
  async inverse(damping = 0): Promise<LinearOperator<D>> {
    checkDamping(damping, this.constructor.name);
    const { operator } = await this.state();
    return operator.withInner((operator.inner as BlockDiagonalLinearOperator<D>).inverse(damping));
  }
}
