import type { Module } from "@curv/autodiff";
import type { FloatDType, Tensor } from "@curv/tensor";
import { LinearOperator } from "../linear-operator.js";
import type { CurvatureOptions } from "./curvature-options.js";
import type { DataSource } from "./data-loop.js";
import { JacobianProducts } from "./jacobian-products.js";
import { TransposedJacobianLinearOperator } from "./transposed-jacobian-linear-operator.js";

/**
 * The Jacobian `J` of the model's outputs over the whole data set with
 * respect to the selected parameters, `[N·C, P]`, its rows ordered as the
 * stacked outputs `(N, ...out)` (one output block of that shape);
 * corresponds to curvlinops' `JacobianLinearOperator`. Its adjoint is the
 * {@link TransposedJacobianLinearOperator}.
 *
 * Constructor `(model, params, data, options)` (no loss; the targets of the
 * `[X, y]` batches are ignored). The shape depends on N and the output, so
 * the data must be an array or a synchronous iterable, read once at
 * construction (N is counted unless `numData` is given), and must come in
 * a fixed order. Each batch's product is one JVP mapped over the K columns.
 *
 * @example
 * ```ts
 * const jacobian = new JacobianLinearOperator(model, names, [[X0, y0], [X1, y1]], { runtime: "js" });
 * jacobian.outputShapes;                     // [[8, 3]]: N = 8 examples, 3 outputs each
 * const jv = await jacobian.matvec(v);       // [24]
 * const jtw = await jacobian.rmatvec(jv);    // Jᵀ J v, [P]
 * ```
 */
export class JacobianLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly model: Module;
  /** The selected parameters' dotted names, in block order. */
  readonly parameterNames: readonly string[];
  readonly #products: JacobianProducts<D>;
  readonly #arguments: readonly [DataSource, CurvatureOptions];
  #adjoint: TransposedJacobianLinearOperator<D> | undefined;

  constructor(model: Module, params: readonly string[], data: DataSource, options: CurvatureOptions = {}) {
    const products = new JacobianProducts<D>(model, params, data, options, new.target.name);
    super({ dtype: products.run.dtype, inputShapes: products.run.selection.shapes, outputShapes: [products.outputShape] });
    this.model = model;
    this.parameterNames = products.run.selection.names;
    this.#products = products;
    this.#arguments = [data, options];
  }

  /** N, the number of examples. */
  get numData(): number {
    return this.outputShapes[0][0];
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    await this.#products.ready((probe) => this.#products.jacobianProduct(probe), this.shape[1]);
    return this.#products.jacobianProduct(x);
  }

  adjoint(): TransposedJacobianLinearOperator<D> {
    this.#adjoint ??= new TransposedJacobianLinearOperator<D>(this.model, this.parameterNames, ...this.#arguments);
    return this.#adjoint;
  }

  /** Releases the compiled programs. */
  dispose(): Promise<void> {
    return this.#products.dispose();
  }
}
