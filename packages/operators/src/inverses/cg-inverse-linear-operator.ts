import { DTypeError, ShapeError, Tensor, formatShape, type FloatDType } from "@curv/tensor";
import {
  assertFiniteProduct, assertSquareOperator, checkInteger, checkOperator, checkPositive, float64Values, matrixTensor, multiplyColumns,
} from "../algorithm-inputs.js";
import { LinearOperator } from "../linear-operator.js";
import { checkPreconditioner, gatherColumns } from "./columns.js";

/** Options of {@link CGInverseLinearOperator} (GPyTorch's `linear_cg` keyword arguments, which curvlinops passes on). */
export interface CGOptions<D extends FloatDType = FloatDType> {
  /** Most iterations (operator products) per solve; default 1000, as GPyTorch. */
  maxIter?: number;
  /**
   * A column has converged when its residual `‖b - A x‖` is at most
   * `tolerance · ‖b‖`; default 1e-6. (GPyTorch's default of 1 is looser than
   * anyone solving a curvature system wants; curvlinops' tests pass their own.)
   */
  tolerance?: number;
  /**
   * Absolute tolerance: a column has converged when `‖b - A x‖ ≤
   * max(tolerance · ‖b‖, atol)` (NNGeometry's and SciPy's rule); default 0,
   * the relative test alone.
   */
  atol?: number;
  /**
   * Breakdown guard: a column stops when its search direction has curvature
   * `pᵀAp ≤ eps · ‖p‖²` (A is not positive definite along it, or the column
   * has converged to rounding); default 1e-10, GPyTorch's `eps`.
   */
  eps?: number;
  /** A symmetric positive definite `P ≈ A⁻¹` applied to the residuals (left preconditioning), e.g. a damped KFAC inverse. */
  preconditioner?: LinearOperator<D>;
}

/** Why a column stopped. */
export type CGColumnStatus = "converged" | "max-iter" | "breakdown";

/** What the last `matmat` of a {@link CGInverseLinearOperator} did. */
export interface CGSolveRecord {
  /** Iterations run (= products with `A`, one per iteration for all active columns). */
  iterations: number;
  /** `residualNorms[t][j] = ‖b_j - A x_j‖ / ‖b_j‖` (`‖b_j - A x_j‖` when `b_j = 0`) after iteration `t` (`t = 0`: the start, x = 0 or `x0`). */
  residualNorms: number[][];
  /** Why each column stopped. */
  status: CGColumnStatus[];
}

const WHO = "CGInverseLinearOperator";

/**
 * `A⁻¹` of a symmetric positive definite operator by the conjugate gradient
 * method (Hestenes & Stiefel 1952; preconditioned as in Golub & Van Loan,
 * 4th ed., Algorithm 11.5.1): curvlinops' `CGInverseLinearOperator`, written
 * here instead of wrapping GPyTorch's `linear_cg`.
 *
 * A `matmat` solves for all K columns at once: each iteration is one product
 * of `A` with the still-unconverged columns (and one of the preconditioner),
 * so a K-column solve costs about as many operator runs as a single one.
 * Columns stop independently when they converge. `lastSolve` records the
 * residuals of the last solve; not converging within `maxIter` is not an
 * error (as GPyTorch), the record says so. NaN or Inf in a product is a
 * `ValueError`.
 *
 * @example
 * ```ts
 * const a = new DenseLinearOperator(tensor([[4, 1, 0], [1, 3, 1], [0, 1, 2]], { dtype: "float64" }));
 * const inverse = new CGInverseLinearOperator(a, { tolerance: 1e-10 });
 * (await inverse.matvec(tensor([1, 2, 3], { dtype: "float64" }))).toArray(); // [0.2222, 0.1111, 1.4444]
 * inverse.lastSolve?.iterations;                                           // 3
 * // Preconditioned by a damped KFAC inverse:
 * const damped = ggn.add(new IdentityLinearOperator(ggn.inputShapes, ggn.dtype).scale(1e-3));
 * const cg = new CGInverseLinearOperator(damped, { preconditioner: await kfac.inverse({ damping: 1e-3 }) });
 * ```
 */
export class CGInverseLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  /** The operator whose inverse this is. */
  readonly operator: LinearOperator<D>;
  readonly maxIter: number;
  readonly tolerance: number;
  readonly atol: number;
  readonly eps: number;
  readonly preconditioner: LinearOperator<D> | undefined;
  /** The record of the last solve (`undefined` before the first). */
  lastSolve: CGSolveRecord | undefined;

  constructor(operator: LinearOperator<D>, { maxIter = 1000, tolerance = 1e-6, atol = 0, eps = 1e-10, preconditioner }: CGOptions<D> = {}) {
    checkOperator(operator, WHO);
    assertSquareOperator(operator, WHO);
    super({ dtype: operator.dtype, inputShapes: operator.outputShapes, outputShapes: operator.inputShapes });
    this.operator = operator;
    this.maxIter = checkInteger(maxIter, WHO, "maxIter", 1);
    this.tolerance = checkPositive(tolerance, WHO, "tolerance", { allowZero: true });
    this.atol = checkPositive(atol, WHO, "atol", { allowZero: true });
    this.eps = checkPositive(eps, WHO, "eps", { allowZero: true });
    this.preconditioner = checkPreconditioner(preconditioner, operator, WHO);
  }

  protected async matmatImpl(b: Tensor<D>): Promise<Tensor<D>> {
    return this.solve(b);
  }

  /**
   * `A⁻¹ B` for B of shape `[n, K]` (K columns at once), starting from `x0`
   * (same shape; default 0, which is what `matmat` does). A start costs one
   * more product, `B - A x0`. The record is in {@link CGInverseLinearOperator.lastSolve}.
   *
   * @example
   * ```ts
   * const x = await new CGInverseLinearOperator(a, { tolerance: 0, atol: 1e-10 }).solve(b, { x0: guess });
   * ```
   */
  async solve(b: Tensor<D>, { x0 }: { x0?: Tensor<D> } = {}): Promise<Tensor<D>> {
    if (b.ndim !== 2 || b.shape[0] !== this.shape[1]) throw new ShapeError(`${WHO}.solve: b must be [${this.shape[1]}, K], got ${formatShape(b.shape)}`);
    if (b.dtype !== this.dtype) throw new DTypeError(`${WHO}.solve: b must have dtype ${this.dtype}, got ${b.dtype}`);
    const [n, k] = b.shape;
    if (x0 !== undefined && (x0.ndim !== 2 || x0.shape[0] !== n || x0.shape[1] !== k)) {
      throw new ShapeError(`${WHO}.solve: x0 must have b's shape [${n}, ${k}], got ${formatShape(x0.shape)}`);
    }
    const { x, record } = await this.run(float64Values(b), x0 === undefined ? undefined : float64Values(x0), n, k);
    this.lastSolve = record;
    return matrixTensor(x, n, k, this.dtype);
  }

  /** Batched preconditioned CG on `[n, k]` right-hand sides. */
  private async run(b: Float64Array, x0: Float64Array | undefined, n: number, k: number): Promise<{ x: Float64Array; record: CGSolveRecord }> {
    const x = x0 === undefined ? new Float64Array(n * k) : Float64Array.from(x0);
    const r = Float64Array.from(b);
    if (x0 !== undefined) {
      const ax = await multiplyColumns(this.operator, x, k, WHO, "the product of A with x0");
      for (let i = 0; i < r.length; i++) r[i] -= ax[i];
    }
    const bNorms = columnNorms(b, n, k);
    const thresholds = bNorms.map((norm) => Math.max(this.tolerance * norm, this.atol));
    const status: CGColumnStatus[] = new Array<CGColumnStatus>(k).fill("max-iter");
    // Residual norms of every column; a column's entry changes only while it is active.
    const absolute = columnNorms(r, n, k);
    const relative = (): number[] => absolute.map((norm, j) => (bNorms[j] > 0 ? norm / bNorms[j] : norm));
    const residualNorms = [relative()];
    let active = [...Array(k).keys()].filter((j) => {
      const done = absolute[j] <= thresholds[j];
      if (done) status[j] = "converged";
      return !done;
    });
    let z = await this.precondition(gatherColumns(r, n, k, active), active.length, 0);
    let p: Float64Array = Float64Array.from(z);
    // p in the operator's dtype, written by the same pass that updates p.
    let operand = matrixTensor(p, n, active.length, this.dtype);
    let rz = columnDots(gatherColumns(r, n, k, active), z, n, active.length);
    let iterations = 0;
    while (active.length > 0 && iterations < this.maxIter) {
      iterations++;
      const m = active.length;
      const product = await this.operator.matmat(operand);
      const { ap, pap, pp } = columnCurvatures(p, product.data as Float32Array | Float64Array, n, m, iterations);
      const alphas = Float64Array.from(pap, (curvature, c) => (curvature > this.eps * pp[c] ? rz[c] / curvature : 0));
      // Updates x and r and returns rⱼᵀrⱼ of the active columns, summed in the order columnNorms sums them.
      const squares = addScaledColumns(x, r, k, Int32Array.from(active), alphas, p, ap, n, m);
      active.forEach((j, c) => { absolute[j] = Math.sqrt(squares[c]); });
      residualNorms.push(relative());
      const keep: number[] = [];
      active.forEach((j, c) => {
        if (absolute[j] <= thresholds[j]) status[j] = "converged";
        else if (alphas[c] === 0) status[j] = "breakdown";
        else keep.push(c);
      });
      if (keep.length === 0 || iterations === this.maxIter) break;
      const next = keep.map((c) => active[c]);
      // All columns still active (the common case): no gathered copies.
      const rNext = next.length === k ? r : gatherColumns(r, n, k, next);
      let rzNext: number[];
      if (this.preconditioner === undefined) {
        // z = r: no copy (p is rebuilt from z before r changes again), and rᵀz is the rᵀr just summed.
        z = rNext;
        rzNext = keep.map((c) => squares[c]);
      } else {
        z = await this.precondition(rNext, next.length, iterations);
        rzNext = columnDots(rNext, z, n, next.length);
      }
      const pKept = keep.length === m ? p : gatherColumns(p, n, m, keep);
      const betas = Float64Array.from(keep, (c, i) => rzNext[i] / rz[c]);
      operand = nextDirections(pKept, z, betas, n, keep.length, this.dtype);
      p = pKept;
      rz = rzNext;
      active = next;
    }
    return { x, record: { iterations, residualNorms, status } };
  }

  private async precondition(r: Float64Array, columns: number, iteration: number): Promise<Float64Array> {
    if (this.preconditioner === undefined || columns === 0) return Float64Array.from(r);
    return multiplyColumns(this.preconditioner, r, columns, WHO, `the preconditioner's product with the residuals at iteration ${iteration}`);
  }

  /** `(A⁻¹)ᵀ = (Aᵀ)⁻¹`: CG on the adjoint (with the preconditioner's adjoint). */
  adjoint(): LinearOperator<D> {
    if (this.isSelfAdjoint) return this;
    const { maxIter, tolerance, atol, eps } = this;
    return new CGInverseLinearOperator(this.operator.adjoint(), { maxIter, tolerance, atol, eps, preconditioner: this.preconditioner?.adjoint() });
  }

  override get isSelfAdjoint(): boolean {
    return this.operator.isSelfAdjoint && (this.preconditioner?.isSelfAdjoint ?? true);
  }
}

/**
 * `x[:, active] += alphas ⊙ p` and `r[:, active] -= alphas ⊙ ap` (p, ap: `[n, m]`, x, r: `[n, k]`),
 * returning the updated `r[:, active[c]]ᵀ r[:, active[c]]` (summed over rows in order, as `columnDots`);
 * a small hot loop of its own so it stays optimized.
 */
function addScaledColumns(
  x: Float64Array, r: Float64Array, k: number, active: Int32Array, alphas: Float64Array, p: Float64Array, ap: Float64Array, n: number, m: number,
): Float64Array {
  // Column by column (strided), so each column's sum stays in a local: several times faster in V8 than
  // accumulating into an array row by row, and the same sum (rows in order).
  const squares = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const alpha = alphas[c];
    const column = active[c];
    let sum = 0;
    for (let i = 0, at = column, from = c; i < n; i++, at += k, from += m) {
      x[at] += alpha * p[from];
      const v = r[at] - alpha * ap[from];
      r[at] = v;
      sum += v * v;
    }
    squares[c] = sum;
  }
  return squares;
}

/** `p = z + betas ⊙ p`, in place, for `[n, m]` matrices; returns the new p in `dtype` (the next product's operand). */
function nextDirections<D extends FloatDType>(p: Float64Array, z: Float64Array, betas: Float64Array, n: number, m: number, dtype: D): Tensor<D> {
  const operand = new Tensor(dtype, [n, m]);
  const out = operand.data as Float32Array | Float64Array;
  for (let i = 0; i < n; i++) {
    const from = i * m;
    for (let c = 0; c < m; c++) {
      const v = z[from + c] + betas[c] * p[from + c];
      p[from + c] = v;
      out[from + c] = v;
    }
  }
  return operand;
}

/**
 * `A p` (the operator's result, `[n, m]`) as float64, checked to be finite,
 * with `pⱼᵀ(Ap)ⱼ` and `pⱼᵀpⱼ` for each column, in one pass.
 */
function columnCurvatures(
  p: Float64Array, product: Float32Array | Float64Array, n: number, m: number, iteration: number,
): { ap: Float64Array; pap: Float64Array; pp: Float64Array } {
  const size = n * m;
  const ap = new Float64Array(size);
  const pap = new Float64Array(m);
  const pp = new Float64Array(m);
  // Column by column, the sums in locals (as addScaledColumns).
  for (let c = 0; c < m; c++) {
    let curvature = 0;
    let square = 0;
    for (let at = c; at < size; at += m) {
      const a = product[at];
      // NaN or ±Inf: throws, naming the first bad entry in row-major order.
      if (a - a !== 0) assertFiniteProduct(product, WHO, `the product of A with the search directions at iteration ${iteration}`);
      ap[at] = a;
      const v = p[at];
      curvature += v * a;
      square += v * v;
    }
    pap[c] = curvature;
    pp[c] = square;
  }
  return { ap, pap, pp };
}

function columnNorms(a: Float64Array, n: number, k: number): number[] {
  return columnDots(a, a, n, k).map(Math.sqrt);
}

/** `aⱼᵀ bⱼ` for each column `j` of two `[n, k]` matrices. */
function columnDots(a: Float64Array, b: Float64Array, n: number, k: number): number[] {
  const dots: number[] = [];
  const size = n * k;
  for (let j = 0; j < k; j++) {
    let dot = 0;
    for (let at = j; at < size; at += k) dot += a[at] * b[at];
    dots.push(dot);
  }
  return dots;
}
