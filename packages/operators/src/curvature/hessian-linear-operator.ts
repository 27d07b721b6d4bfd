import { hvp, type Value } from "@curv/autodiff";
import type { FloatDType } from "@curv/tensor";
import { CurvatureLinearOperator } from "./curvature-linear-operator.js";
import type { CurvatureTrace } from "./curvature-trace.js";

/**
 * The Hessian `∇²L(θ)` of the loss over the data set with respect to the
 * selected parameters; corresponds to curvlinops' `HessianLinearOperator`.
 *
 * Each batch's product is a Hessian-vector product by forward-over-reverse
 * differentiation (a JVP of the gradient, as curvlinops' `jvp(jacrev)`),
 * mapped over the K columns of a `matmat` in one program run.
 *
 * Constructor `(model, lossFunction, params, data, options)`: `params` names
 * the parameters (`["0.weight", "0.bias"]`; the operator's blocks follow this
 * order, usually the model's); `data` is an array or (async) iterable of
 * `[X, y]` batches; `options` as {@link CurvatureOptions}.
 *
 * @example
 * ```ts
 * const names = model.namedParameters().map(([name]) => name);
 * const hessian = new HessianLinearOperator(model, new MSELoss(), names, [[X0, y0], [X1, y1]], { runtime: "js" });
 * const hv = await hessian.matvec(v);          // v: [P] or one tensor per parameter
 * const dense = await hessian.toDense();       // [P, P]
 * ```
 */
export class HessianLinearOperator<D extends FloatDType = FloatDType> extends CurvatureLinearOperator<D> {
  protected vectorProduct(trace: CurvatureTrace, vectors: readonly Value[]): Value[] {
    const objective = (params: Value[]) => trace.lossOf(this.lossFunction, trace.forward(params), this.constructor.name);
    return hvp(objective, trace.selected, vectors);
  }
}
