import type { CurvatureLoss, Module } from "@curv/autodiff";
import { LinAlgError, ValueError, type FloatDType, type Tensor } from "@curv/tensor";
import { BlockDiagonalLinearOperator } from "../block-diagonal-linear-operator.js";
import type { DataSource } from "../curvature/data-loop.js";
import { checkDamping } from "../damped-inverse.js";
import { KroneckerProductLinearOperator } from "../kronecker-product-linear-operator.js";
import type { LinearOperator } from "../linear-operator.js";
import type { KFACOptions } from "./kfac-options.js";
import type { KroneckerBlock } from "./kronecker-block-layout.js";
import { KroneckerFactoredLinearOperator } from "./kronecker-factored-linear-operator.js";
import type { KFACLayerFactors } from "./kronecker-factors.js";

/** Options of {@link KFACLinearOperator.inverse} (curvlinops' `inverse` keyword arguments). */
export interface KFACInverseOptions {
  /** δ ≥ 0 added to the curvature; default 0. */
  readonly damping?: number;
  /**
   * Split δ between the factors as Martens & Grosse (2015, section 6.3) do:
   * `π = sqrt((tr A / d_A) / (tr G / d_G))`, `(G + √δ/π I)⁻¹ ⊗ (A + π√δ I)⁻¹`.
   * Default false.
   */
  readonly heuristicDamping?: boolean;
  /** Lower bound of each heuristic factor damping; default 1e-8. */
  readonly minDamping?: number;
  /** Damp exactly, `(G ⊗ A + δI)⁻¹`, through the factors' eigendecompositions. Default false. */
  readonly exactDamping?: boolean;
}

/**
 * Kronecker-factored approximate curvature (Martens & Grosse 2015; Grosse &
 * Martens 2016 for convolutions; Eschenhagen et al. 2023 for weight sharing):
 * curvlinops' `KFACLinearOperator`. Block-diagonal over layers, each block
 * `G ⊗ A` for the row-major `[W | b]` of a Linear or Conv2d layer (or
 * separate weight and bias blocks, `G ⊗ A` and `G`, the default), where A is
 * the covariance of the layer's inputs and G that of the gradients
 * backpropagated to its outputs (see {@link FisherType}).
 *
 * The factors come from one pass over the data, each batch one forward and
 * one backward run that backpropagates all of its seeds at once (layer
 * taps), computed on first use (`await kfac.ready()` to do it eagerly).
 * `trace`, `det`, `logdet` and `frobeniusNorm` are exact from the factors.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(7, 5, { dtype: "float64" }), new ReLU(), new Linear(5, 3, { dtype: "float64" }));
 * const params = ["0.weight", "0.bias", "2.weight", "2.bias"];
 * const kfac = new KFACLinearOperator(model, new MSELoss(), params, [[X, y]], { fisherType: "type-2", runtime: "js" });
 * const { inputCovariance, gradientCovariance } = (await kfac.factors())["0"];   // A [7, 7], G [5, 5]
 * const preconditioner = await kfac.inverse({ damping: 1e-3, heuristicDamping: true });
 * const step = await preconditioner.matvec(gradient);                           // gradient: one tensor per parameter
 * ```
 */
export class KFACLinearOperator<D extends FloatDType = FloatDType> extends KroneckerFactoredLinearOperator<D> {
  constructor(model: Module, lossFunction: CurvatureLoss, params: readonly string[], data: DataSource, options: KFACOptions = {}) {
    super(model, lossFunction, params, data, options, ["type-2", "mc", "empirical", "forward-only"]);
  }

  protected async buildOperator(_pass: unknown, factors: readonly KFACLayerFactors<"float64">[]): Promise<BlockDiagonalLinearOperator<D>> {
    return new BlockDiagonalLinearOperator(this.layout.blocks.map((block) => this.#kroneckerBlock(block, factors)));
  }

  #kroneckerBlock(block: KroneckerBlock, factors: readonly KFACLayerFactors<"float64">[]): KroneckerProductLinearOperator<D> {
    const { inputCovariance, gradientCovariance } = factors[block.layerIndex];
    const cast = (t: Tensor<"float64">) => t.astype(this.dtype) as Tensor<D>;
    if (block.role === "bias") return new KroneckerProductLinearOperator(cast(gradientCovariance));
    // A joint block's A carries the bias' one; a separate weight block's does not (the program built A that way).
    return new KroneckerProductLinearOperator(cast(gradientCovariance), cast(inputCovariance as Tensor<"float64">));
  }

  /**
   * The damped inverse as an operator, block by block (curvlinops'
   * `inverse`): by default `(G + δI)⁻¹ ⊗ (A + δI)⁻¹` (damping per factor);
   * `heuristicDamping` balances δ between the factors; `exactDamping` inverts
   * `G ⊗ A + δI` exactly. Bias blocks get `(G + δI)⁻¹`. A singular (damped)
   * factor is a `LinAlgError` naming it.
   */
  async inverse(options: KFACInverseOptions = {}): Promise<LinearOperator<D>> {
    const who = this.constructor.name;
    if (options === null || typeof options !== "object") throw new ValueError(`${who}.inverse: options must be an object such as { damping: 1e-3 }, got ${String(options)}`);
    const { damping = 0, heuristicDamping = false, minDamping = 1e-8, exactDamping = false } = options;
    checkDamping(damping, who);
    if (heuristicDamping && exactDamping) throw new ValueError(`${who}.inverse: heuristicDamping and exactDamping cannot both be true`);
    const mode = exactDamping ? "exact" : heuristicDamping ? "heuristic" : "per-factor";
    const { operator } = await this.state();
    const blocks = (operator.inner as BlockDiagonalLinearOperator<D>).blocks as readonly KroneckerProductLinearOperator<D>[];
    return operator.withInner(new BlockDiagonalLinearOperator(blocks.map((block, i) => {
      try {
        return block.inverse(damping, { damping: mode, minDamping });
      } catch (error) {
        if (!(error instanceof LinAlgError)) throw error;
        const { layerIndex, role } = this.layout.blocks[i];
        const layer = this.layers[layerIndex];
        const names = role === "joint" ? `${layer.weight}, ${layer.bias}` : role === "weight" ? layer.weight : layer.bias;
        throw new LinAlgError(`${who}.inverse: the block of "${names}" (layer "${layer.name}") is singular; pass a damping > 0 (${error.message})`, { cause: error });
      }
    })));
  }
}
