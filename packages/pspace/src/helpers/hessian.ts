/** NNGeometry's `Hessian` helper. */
import type { CurvatureLoss, Module } from "@curv/autodiff";
import { HessianLinearOperator, type DataSource } from "@curv/operators";
import { ValueError, type FloatDType } from "@curv/tensor";
import { LayerCollection } from "../layers/layer-collection.js";
import { PMatDense } from "../pmat/pmat-dense.js";
import { PMatImplicit } from "../pmat/pmat-implicit.js";
import type { RunOptions } from "./fisher-source.js";

/** {@link Hessian}'s arguments. */
export interface HessianOptions<R> extends RunOptions {
  readonly model: Module;
  readonly loader: DataSource;
  /** The loss of the model's output against y (NNGeometry's `function(y_pred, y)`). */
  readonly lossFunction: CurvatureLoss;
  readonly layerCollection?: LayerCollection;
  /** `PMatDense` (default) or `PMatImplicit`. */
  readonly representation?: R;
}

/**
 * The Hessian of the loss over the loader with respect to the parameters;
 * corresponds to NNGeometry's `Hessian` (which sums over minibatches: use
 * `reduction: "sum"` and divide by n yourself, or `"mean"` for curvlinops'
 * weighting by `N_b/N`). Built on @curv/operators' `HessianLinearOperator`.
 *
 * @example
 * ```ts
 * const H = await Hessian({ model, loader, lossFunction: new CrossEntropyLoss({ reduction: "sum" }) });
 * H.scale(1 / n).toDense();
 * ```
 */
export async function Hessian(options: HessianOptions<typeof PMatDense>): Promise<PMatDense>;
export async function Hessian(options: HessianOptions<typeof PMatImplicit>): Promise<PMatImplicit>;
export async function Hessian(options: HessianOptions<typeof PMatDense | typeof PMatImplicit>): Promise<PMatDense | PMatImplicit> {
  const { model, loader, lossFunction, layerCollection, representation = PMatDense, ...run } = options;
  if (representation !== PMatDense && representation !== PMatImplicit) throw new ValueError(`Hessian: representation must be PMatDense or PMatImplicit, got ${String(representation)}`);
  const lc = layerCollection ?? LayerCollection.fromModel(model);
  const operator = new HessianLinearOperator(model, lossFunction, lc.parameterNames(), loader, run);
  const dtype = operator.dtype as FloatDType;
  if (representation === PMatImplicit) return new PMatImplicit(lc, operator, dtype);
  return new PMatDense(lc, await operator.toDense(), dtype);
}
