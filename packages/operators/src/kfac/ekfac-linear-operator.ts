import type { CurvatureLoss, Module } from "@curv/autodiff";
import { eigh, Tensor, type FloatDType } from "@curv/tensor";
import { BlockDiagonalLinearOperator } from "../block-diagonal-linear-operator.js";
import type { DataSource } from "../curvature/data-loop.js";
import { checkDamping } from "../damped-inverse.js";
import { EigendecomposedLinearOperator } from "../eigendecomposed-linear-operator.js";
import { KroneckerProductLinearOperator } from "../kronecker-product-linear-operator.js";
import type { LinearOperator } from "../linear-operator.js";
import type { KFACOptions } from "./kfac-options.js";
import { factorNames } from "./kronecker-factor-program.js";
import { KroneckerFactoredLinearOperator } from "./kronecker-factored-linear-operator.js";
import { runFactorPass, type FactorPass, type KFACLayerFactors } from "./kronecker-factors.js";

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
  constructor(model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: KFACOptions = {}) {
    super(model, lossFunction, params, data, options, ["type-2", "mc", "empirical"]);
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
