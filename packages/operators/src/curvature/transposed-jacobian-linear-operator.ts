import type { Module } from "@curv/autodiff";
import type { FloatDType, Tensor } from "@curv/tensor";
import { LinearOperator } from "../linear-operator.js";
import type { CurvatureOptions } from "./curvature-options.js";
import type { DataSource } from "./data-loop.js";
import { JacobianLinearOperator } from "./jacobian-linear-operator.js";
import { JacobianProducts } from "./jacobian-products.js";

/**
 * `Jᵀ`, the transpose of the model's Jacobian over the data set, `[P, N·C]`:
 * it maps output-space vectors (shaped like the stacked outputs `(N, ...out)`)
 * to parameter space; corresponds to curvlinops'
 * `TransposedJacobianLinearOperator`. Its adjoint is the
 * {@link JacobianLinearOperator}; the constructor and the data's
 * requirements are the same. Each batch's product is one VJP mapped over
 * the K columns, and the batches' results are summed.
 *
 * @example
 * ```ts
 * const transposed = new TransposedJacobianLinearOperator(model, names, data, { runtime: "js" });
 * const g = await transposed.matvec(residuals);   // residuals: [N·C] or [[N, C]] in list format
 * ```
 */
export class TransposedJacobianLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly model: Module;
  /** The selected parameters' dotted names, in block order. */
  readonly parameterNames: readonly string[];
  readonly #products: JacobianProducts<D>;
  readonly #arguments: readonly [DataSource, CurvatureOptions];
  #adjoint: JacobianLinearOperator<D> | undefined;

  constructor(model: Module, params: readonly string[], data: DataSource, options: CurvatureOptions = {}) {
    const products = new JacobianProducts<D>(model, params, data, options, new.target.name);
    super({ dtype: products.run.dtype, inputShapes: [products.outputShape], outputShapes: products.run.selection.shapes });
    this.model = model;
    this.parameterNames = products.run.selection.names;
    this.#products = products;
    this.#arguments = [data, options];
  }

  /** N, the number of examples. */
  get numData(): number {
    return this.inputShapes[0][0];
  }

  protected async matmatImpl(w: Tensor<D>): Promise<Tensor<D>> {
    await this.#products.ready((probe) => this.#products.transposedProduct(probe), this.shape[1]);
    return this.#products.transposedProduct(w);
  }

  adjoint(): JacobianLinearOperator<D> {
    this.#adjoint ??= new JacobianLinearOperator<D>(this.model, this.parameterNames, ...this.#arguments);
    return this.#adjoint;
  }

  /** Releases the compiled programs. */
  dispose(): Promise<void> {
    return this.#products.dispose();
  }
}
