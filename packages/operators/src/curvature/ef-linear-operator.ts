import type { Value } from "@curv/autodiff";
import type { FloatDType } from "@curv/tensor";
import { CurvatureLinearOperator } from "./curvature-linear-operator.js";
import type { CurvatureTrace } from "./curvature-trace.js";
import { empiricalFisherCotangent, throughOutput } from "./output-space.js";

/**
 * The uncentered covariance of the loss terms' gradients, the "empirical
 * Fisher", `(1/R) Σₜ gₜ gₜᵀ` over the data set's loss terms (rows of the
 * output), with `gₜ` the gradient of a term's unnormalized loss and R
 * curvlinops' reduction factor (under mean: the number of terms, times C for
 * MSE and BCE, so it follows the GGN's normalization; 1 under sum);
 * corresponds to curvlinops' `EFLinearOperator`. For the MSE fixture this is
 * `(1/(N C)) Σₙ gₙ gₙᵀ`, C times the naive average.
 *
 * Like curvlinops, it is the GGN of a pseudo-loss: one JVP, the per-row
 * product with the true output gradient, one VJP, mapped over the K columns.
 *
 * @example
 * ```ts
 * const ef = new EFLinearOperator(model, new MSELoss(), names, data, { runtime: "js" });
 * const dense = await ef.toDense();
 * ```
 */
export class EFLinearOperator<D extends FloatDType = FloatDType> extends CurvatureLinearOperator<D> {
  protected vectorProduct(trace: CurvatureTrace, vectors: readonly Value[]): Value[] {
    const lossOf = (output: Value) => trace.lossOf(this.lossFunction, output, this.constructor.name);
    return throughOutput(trace, vectors, (output, jv) => empiricalFisherCotangent(this.lossFunction, output, jv, lossOf));
  }
}
