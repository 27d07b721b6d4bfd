/** NNGeometry's `PMatImplicit`: no matrix stored, every product exact through @curv/operators. */
import { CGInverseLinearOperator, IdentityLinearOperator, LinearOperator } from "@curv/operators";
import { DTypeError, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { fisherDiagonal, fisherOperator, type FisherSource } from "../helpers/fisher-source.js";
import { dot } from "../linalg/matrix.js";
import { PFMapDense } from "../map/pfmap-dense.js";
import { PVector } from "../vector/pvector.js";
import type { PMatAbstract } from "./pmat-abstract.js";

/** Options of {@link PMatImplicit.solve}: NNGeometry's conjugate gradient. */
export interface ConjugateGradientOptions<D extends FloatDType = FloatDType> {
  /** Tikhonov damping: solves `(M + regul·I) x = b`; default 1e-8. */
  readonly regul?: number;
  /** `"cg"` or `"default"` (the same). */
  readonly solve?: "cg" | "default";
  /** The starting point; default 0. */
  readonly x0?: PVector<D>;
  /** Stop when `‖r‖ ≤ max(rtol ‖b‖, atol)`; defaults 1e-5 and 0. */
  readonly rtol?: number;
  readonly atol?: number;
  /** Default 10 P. */
  readonly maxIter?: number;
  /** A preconditioner: any stored representation, applied as `M.solve(r, { regul })`. */
  readonly M?: PMatAbstract<D>;
}

/**
 * A matrix known only through its products, exact and never stored;
 * corresponds to NNGeometry's `PMatImplicit`. Products run the model
 * (@curv/operators' `GGNLinearOperator` for a FIM, `HessianLinearOperator`
 * for {@link Hessian}), so they are asynchronous, unlike the stored
 * representations. `solve` is preconditioned conjugate gradient.
 *
 * Departures (package README): `toDense()` and, for a FIM, `getDiag()`
 * exist (NNGeometry raises); `norm` does not.
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatImplicit });
 * const Fv = await F.mv(v);
 * const x = await F.solve(g, { regul: 1e-3, M: await FIM({ model, loader, representation: PMatBlockDiag }) });
 * ```
 */
export class PMatImplicit<D extends FloatDType = FloatDType> {
  readonly layerCollection: LayerCollection;
  readonly dtype: D;
  readonly operator: LinearOperator;
  readonly #diagonal: (() => Promise<Float64Array>) | undefined;

  constructor(layerCollection: LayerCollection, operator: LinearOperator, dtype: D, { diagonal }: { diagonal?: () => Promise<Float64Array> } = {}) {
    const p = layerCollection.numel();
    if (operator.shape[0] !== p || operator.shape[1] !== p) throw new ValueError(`PMatImplicit: the operator is ${operator.shape.join(" x ")}, not ${p} x ${p}`);
    this.layerCollection = layerCollection;
    this.operator = operator;
    this.dtype = dtype;
    this.#diagonal = diagonal;
  }

  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatImplicit<D>> {
    return new PMatImplicit(source.layerCollection, fisherOperator(source), source.dtype as D, { diagonal: () => fisherDiagonal(source) });
  }

  /** No data: 0 bytes (each product runs the model). */
  get byteLength(): number {
    return 0;
  }

  size(): [number, number] {
    const p = this.layerCollection.numel();
    return [p, p];
  }

  private async product(x: Float64Array): Promise<Float64Array> {
    const out = await this.operator.matvec(new Tensor("float64", [x.length], x).astype(this.operator.dtype));
    return Float64Array.from(out.data as ArrayLike<number>);
  }

  private check(v: PVector, method: string): void {
    const who = `PMatImplicit.${method}`;
    if (!(v instanceof PVector)) throw new ValueError(`${who}: expected a PVector, got ${String(v)}`);
    this.layerCollection.assertSame(v.layerCollection, who);
    if (v.dtype !== this.dtype) throw new DTypeError(`${who}: the vector is ${v.dtype} but the matrix is ${this.dtype}`);
  }

  /** `M v`. */
  async mv(v: PVector<D>): Promise<PVector<D>> {
    this.check(v, "mv");
    return v.withValues(await this.product(v.toFloat64()));
  }

  /** `vᵀ M v`. */
  async vTMv(v: PVector<D>): Promise<number> {
    this.check(v, "vTMv");
    const x = v.toFloat64();
    return dot(x, await this.product(x));
  }

  /** The trace (a FIM's: the sum of its diagonal; a Hessian has none here, as in NNGeometry). */
  async trace(): Promise<number> {
    return (await this.diagonal("trace")).reduce((a, b) => a + b, 0);
  }

  /** The diagonal (a FIM's, by @curv/operators' GGN diagonal). */
  async getDiag(): Promise<Tensor<D>> {
    const d = await this.diagonal("getDiag");
    return new Tensor("float64", [d.length], d).astype(this.dtype);
  }

  private diagonal(method: string): Promise<Float64Array> {
    if (this.#diagonal === undefined) throw new ValueError(`PMatImplicit.${method}: not available for this matrix (a Hessian's diagonal is not computed implicitly, as in NNGeometry)`);
    return this.#diagonal();
  }

  /** The dense matrix, `P` products batched by the operator (NNGeometry raises). */
  async toDense(): Promise<Tensor<D>> {
    return (await this.operator.toDense()).astype(this.dtype);
  }

  /** `M Jᵀ` row by row, batched into one `matmat`. */
  async mmap(map: PFMapDense<D>): Promise<PFMapDense<D>> {
    if (!(map instanceof PFMapDense)) throw new ValueError(`PMatImplicit.mmap: expected a PFMapDense, got ${String(map)}`);
    this.layerCollection.assertSame(map.layerCollection, "PMatImplicit.mmap");
    const [o, n, p] = map.size();
    const rows = map.rows();
    const columns = new Tensor("float64", [p, o * n]);
    for (let r = 0; r < o * n; r++) for (let j = 0; j < p; j++) columns.data[j * o * n + r] = rows[r * p + j];
    const product = await this.operator.matmat(columns.astype(this.operator.dtype));
    const out = new Float64Array(o * n * p);
    for (let r = 0; r < o * n; r++) for (let j = 0; j < p; j++) out[r * p + j] = product.data[j * o * n + r] as number;
    return map.withRows(out);
  }

  /**
   * `(M + regul·I)⁻¹ b` by preconditioned conjugate gradient (NNGeometry's
   * `solvePVec` with `solve="cg"`): `tol = max(rtol ‖b‖, atol)`, at most
   * `maxIter` products, and the preconditioner `M` applied as
   * `M.solve(r, { regul })`. It runs on @curv/operators' `CGInverseLinearOperator` (`atol`, `solve(B, { x0 })`).
   */
  async solve(b: PVector<D>, { regul = 1e-8, solve = "default", x0, rtol = 1e-5, atol = 0, maxIter, M }: ConjugateGradientOptions<D> = {}): Promise<PVector<D>> {
    this.check(b, "solve");
    if (solve !== "default" && solve !== "cg") throw new ValueError(`PMatImplicit.solve: solve must be "cg" or "default", got ${JSON.stringify(solve)}`);
    if (!(regul >= 0)) throw new ValueError(`PMatImplicit.solve: regul must be >= 0, got ${regul}`);
    if (x0 !== undefined) this.check(x0, "solve");
    const operator = this.operator;
    const damped = regul > 0 ? operator.add(new IdentityLinearOperator(operator.inputShapes, operator.dtype).scale(regul)) : operator;
    const preconditioner = M === undefined ? undefined : new RegularizedSolveOperator(M, b, regul, operator);
    // NNGeometry's stop, ‖r‖ ≤ max(rtol ‖b‖, atol), is the shared CG's; eps 0: no breakdown guard beyond pᵀAp > 0.
    const cg = new CGInverseLinearOperator(damped, { maxIter: maxIter ?? 10 * this.layerCollection.numel(), tolerance: rtol, atol, eps: 0, preconditioner });
    const column = (v: PVector<D>) => new Tensor("float64", [v.toFloat64().length, 1], v.toFloat64()).astype(operator.dtype);
    const x = await cg.solve(column(b), x0 === undefined ? {} : { x0: column(x0) });
    return b.withValues(x.data as ArrayLike<number>);
  }

}

/** `M.solve(r, { regul })` for each column of r, as the CG preconditioner: NNGeometry's preconditioner applied to the residual. */
class RegularizedSolveOperator<D extends FloatDType> extends LinearOperator<FloatDType> {
  constructor(
    readonly representation: PMatAbstract<D>,
    readonly like: PVector<D>,
    readonly regul: number,
    operator: LinearOperator,
  ) {
    super({ dtype: operator.dtype, inputShapes: operator.inputShapes, outputShapes: operator.outputShapes });
  }

  protected async matmatImpl(r: Tensor<FloatDType>): Promise<Tensor<FloatDType>> {
    const [p, k] = r.shape;
    const out = new Tensor("float64", [p, k]);
    for (let j = 0; j < k; j++) {
      const column = Float64Array.from({ length: p }, (_, i) => r.data[i * k + j] as number);
      const z = this.representation.solve(this.like.withValues(column), { regul: this.regul }).toFloat64();
      for (let i = 0; i < p; i++) out.data[i * k + j] = z[i];
    }
    return out.astype(this.dtype);
  }

  adjoint(): LinearOperator<FloatDType> {
    return this;
  }
}
