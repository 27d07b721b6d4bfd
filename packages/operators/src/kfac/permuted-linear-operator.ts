/**
 * `Pᵀ B P` for a permutation P: how KFAC's block-diagonal matrix, laid out
 * for the row-major `[W | b]` of each layer (DESIGN.md's convention), acts
 * on vectors in parameter order (curvlinops' `_ChainPyTorchLinearOperator(P, K, PT)`).
 */
import { Tensor, ValueError, type FloatDType, type Shape, type SignAndLogDeterminant } from "@curv/tensor";
import { LinearOperator } from "../linear-operator.js";
import type { ToDenseOptions } from "../to-dense.js";

/**
 * `Pᵀ B P` where `(P x)[k] = x[order[k]]`: row k of the inner operator B is
 * row `order[k]` of this one. A similarity by a permutation keeps trace,
 * determinant and Frobenius norm, so those are B's (exact when B's are).
 */
export class PermutedLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly inner: LinearOperator<D>;
  /** `order[k]`: the position in this operator's space of the inner operator's position k. */
  readonly order: Int32Array;

  constructor(inner: LinearOperator<D>, order: Int32Array, shapes: readonly Shape[]) {
    super({ dtype: inner.dtype, inputShapes: shapes, outputShapes: shapes });
    const n = order.length;
    const seen = new Uint8Array(n);
    for (const i of order) {
      if (!(i >= 0 && i < n) || seen[i]) throw new ValueError(`${new.target.name}: order must be a permutation of 0..${n - 1}`);
      seen[i] = 1;
    }
    if (inner.shape[0] !== n || inner.shape[1] !== n || this.shape[0] !== n) {
      throw new ValueError(`${new.target.name}: a permutation of ${n} entries needs a square inner operator and spaces of that size`);
    }
    this.inner = inner;
    this.order = order;
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const [n, k] = x.shape;
    const gathered = new Tensor(this.dtype, [n, k]);
    for (let r = 0; r < n; r++) gathered.data.set(x.data.subarray(this.order[r] * k, (this.order[r] + 1) * k), r * k);
    const product = await this.inner.matmat(gathered);
    const out = new Tensor(this.dtype, [n, k]);
    for (let r = 0; r < n; r++) out.data.set(product.data.subarray(r * k, (r + 1) * k), this.order[r] * k);
    return out;
  }

  adjoint(): LinearOperator<D> {
    return this.isSelfAdjoint ? this : new PermutedLinearOperator(this.inner.adjoint(), this.order, this.inputShapes);
  }

  override get isSelfAdjoint(): boolean {
    return this.inner.isSelfAdjoint;
  }

  override trace(options?: ToDenseOptions): Promise<number> {
    return this.inner.trace(options);
  }

  override det(options?: ToDenseOptions): Promise<number> {
    return this.inner.det(options);
  }

  override slogdet(options?: ToDenseOptions): Promise<SignAndLogDeterminant> {
    return this.inner.slogdet(options);
  }

  override frobeniusNorm(options?: ToDenseOptions): Promise<number> {
    return this.inner.frobeniusNorm(options);
  }

  /** `Pᵀ C P` with another inner operator C of the same layout (an inverse of B). */
  withInner(inner: LinearOperator<D>): PermutedLinearOperator<D> {
    return new PermutedLinearOperator(inner, this.order, this.inputShapes);
  }
}
