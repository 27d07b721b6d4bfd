import type { FloatDType, Tensor } from "@curv/tensor";
import { assertSquareOperator, checkInteger, checkOperator, checkPositive, matrixTensor, multiplyColumns } from "../algorithm-inputs.js";
import { LinearOperator } from "../linear-operator.js";
import { gatherColumns } from "./columns.js";
import { LsmrColumn, type LSMRColumnRecord } from "./lsmr-column.js";

export type { LSMRColumnRecord, LSMRStop } from "./lsmr-column.js";

/** Options of {@link LSMRInverseLinearOperator} (SciPy `lsmr`'s keyword arguments, which curvlinops passes on). */
export interface LSMROptions {
  /** Stopping tolerance on `‖Aᵀr‖ / (‖A‖ ‖r‖)` and the relative solution error; default 1e-6, as SciPy. */
  atol?: number;
  /** Stopping tolerance on `‖r‖ / ‖b‖`; default 1e-6, as SciPy. */
  btol?: number;
  /** Stop when the estimate of `cond(A)` exceeds `conlim` (0: never); default 1e8, as SciPy. */
  conlim?: number;
  /** Most iterations per column; default `n`, SciPy's `min(m, n)` for a square operator. */
  maxIter?: number;
  /** Solve the damped least-squares problem `min ‖Ax − b‖² + damp² ‖x‖²`; default 0. */
  damp?: number;
}

const WHO = "LSMRInverseLinearOperator";

/**
 * `A⁻¹` (in the least-squares sense, `argmin ‖Ax − b‖`) by LSMR (Fong &
 * Saunders 2011): curvlinops' `LSMRInverseLinearOperator`, written here
 * instead of calling SciPy's `lsmr`. It needs products with `A` and `Aᵀ` and
 * suits any square operator, also singular or not positive definite ones.
 *
 * Where curvlinops solves one column at a time, a `matmat` here runs every
 * column's recurrence side by side, so each iteration is one `matmat` and one
 * `rmatmat` on the still-running columns. After a product, `lastSolve` holds
 * one record per column (SciPy's `istop`, `itn`, `normr`, `normar`, `norma`,
 * `conda`, `normx`; curvlinops' `_lsmr_info`).
 *
 * @example
 * ```ts
 * const a = new DenseLinearOperator(tensor([[4, 1], [2, 3]], { dtype: "float64" }));
 * const inverse = new LSMRInverseLinearOperator(a, { atol: 1e-12, btol: 1e-12 });
 * await inverse.matvec(tensor([1, 2], { dtype: "float64" })); // [0.1, 0.6]
 * inverse.lastSolve?.[0].stop;                                // 1: x solves Ax = b within atol, btol
 * ```
 */
export class LSMRInverseLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly operator: LinearOperator<D>;
  readonly options: Readonly<Required<LSMROptions>>;
  /** One record per column of the last product (`undefined` before the first). */
  lastSolve: LSMRColumnRecord[] | undefined;

  constructor(operator: LinearOperator<D>, { atol = 1e-6, btol = 1e-6, conlim = 1e8, maxIter, damp = 0 }: LSMROptions = {}) {
    checkOperator(operator, WHO);
    const n = assertSquareOperator(operator, WHO);
    super({ dtype: operator.dtype, inputShapes: operator.outputShapes, outputShapes: operator.inputShapes });
    this.operator = operator;
    this.options = Object.freeze({
      atol: checkPositive(atol, WHO, "atol", { allowZero: true }),
      btol: checkPositive(btol, WHO, "btol", { allowZero: true }),
      conlim: checkPositive(conlim, WHO, "conlim", { allowZero: true }),
      maxIter: checkInteger(maxIter ?? Math.max(n, 1), WHO, "maxIter", 1),
      damp: checkPositive(damp, WHO, "damp", { allowZero: true }),
    });
  }

  protected async matmatImpl(b: Tensor<D>): Promise<Tensor<D>> {
    const [n, k] = b.shape;
    const values = Float64Array.from(b.data as Float32Array | Float64Array);
    const columns = Array.from({ length: k }, () => new LsmrColumn(n, this.options));
    // u₁ = b / ‖b‖, then v₁ = Aᵀu₁ / ‖Aᵀu₁‖ for every column (Golub-Kahan bidiagonalization).
    columns.forEach((column, j) => column.start(gatherColumns(values, n, k, [j])));
    let active = columns.filter((column) => column.needsTranspose());
    if (active.length > 0) {
      const product = await this.product(active.map((column) => column.u), true, "the first product of Aᵀ");
      active.forEach((column, c) => column.startTranspose(extract(product, c, active.length, n)));
    }
    active = columns.filter((column) => column.running());
    for (let iteration = 1; active.length > 0; iteration++) {
      const av = await this.product(active.map((column) => column.v), false, `the product of A at iteration ${iteration}`);
      active.forEach((column, c) => column.advanceForward(extract(av, c, active.length, n)));
      const needsTranspose = active.filter((column) => column.needsTranspose());
      const atu = needsTranspose.length > 0
        ? await this.product(needsTranspose.map((column) => column.u), true, `the product of Aᵀ at iteration ${iteration}`)
        : new Float64Array();
      needsTranspose.forEach((column, c) => column.advanceTranspose(extract(atu, c, needsTranspose.length, n)));
      active.forEach((column) => column.finishIteration());
      active = active.filter((column) => column.running());
    }
    this.lastSolve = columns.map((column) => column.record());
    const x = new Float64Array(n * k);
    columns.forEach((column, j) => column.x.forEach((value, i) => (x[i * k + j] = value)));
    return matrixTensor(x, n, k, this.dtype);
  }

  /** One batched product of `A` (or `Aᵀ`) with the given vectors as columns. */
  private product(vectors: readonly Float64Array[], transpose: boolean, what: string): Promise<Float64Array> {
    const n = this.shape[0];
    const m = vectors.length;
    const packed = new Float64Array(n * m);
    vectors.forEach((vector, c) => vector.forEach((value, i) => (packed[i * m + c] = value)));
    return multiplyColumns(this.operator, packed, m, WHO, what, { transpose });
  }

  /** `(A⁻¹)ᵀ = (Aᵀ)⁻¹`: LSMR on the adjoint. */
  adjoint(): LinearOperator<D> {
    return this.isSelfAdjoint ? this : new LSMRInverseLinearOperator(this.operator.adjoint(), this.options);
  }

  override get isSelfAdjoint(): boolean {
    return this.operator.isSelfAdjoint;
  }
}

function extract(matrix: Float64Array, column: number, columns: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = matrix[i * columns + column];
  return out;
}
