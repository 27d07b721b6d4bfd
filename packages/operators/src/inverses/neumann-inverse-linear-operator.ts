import { ValueError, type FloatDType, type Tensor } from "@curv/tensor";
import { assertSquareOperator, checkInteger, checkOperator, float64Values, matrixTensor, multiplyColumns } from "../algorithm-inputs.js";
import { LinearOperator } from "../linear-operator.js";
import { checkPreconditioner } from "./columns.js";

/** Options of {@link NeumannInverseLinearOperator} (curvlinops' keyword arguments). */
export interface NeumannOptions<D extends FloatDType = FloatDType> {
  /** `K`, the last power of the truncated series; default 100. */
  numTerms?: number;
  /** `α`; the series converges when every eigenvalue of `αPA` lies in (0, 2). Default 1. */
  scale?: number;
  /** Raise a `ValueError` as soon as the partial sum holds NaN or Inf (the series diverged); default true. */
  checkNan?: boolean;
  /** `P ≈ A⁻¹` for the preconditioned series `α Σ (I − αPA)ᵏ P` (Wang et al. 2025). */
  preconditioner?: LinearOperator<D>;
}

const WHO = "NeumannInverseLinearOperator";

/**
 * `A⁻¹ ≈ α Σ_{k=0..K} (I − αPA)ᵏ P` (with `P = I` by default), the truncated
 * Neumann series: curvlinops' `NeumannInverseLinearOperator` (Lorraine et
 * al. 2020; the preconditioned form of Wang et al. 2025).
 *
 * A `matmat` runs `numTerms` products with `A` (and as many with `P`), each
 * on all columns at once. The series converges only when the spectrum of
 * `αPA` lies in (0, 2); when it does not, the partial sums blow up and, with
 * `checkNan` (the default), the product throws a `ValueError` that names the
 * term and suggests a smaller `scale`. curvlinops checks for NaN only; curv
 * also stops at ±Infinity, which divergence reaches first.
 *
 * @example
 * ```ts
 * const a = new DenseLinearOperator(tensor([[0.9, 0.1], [0.1, 0.8]], { dtype: "float64" }));
 * const inverse = new NeumannInverseLinearOperator(a, { numTerms: 200 });
 * await inverse.matvec(tensor([1, 1], { dtype: "float64" }));      // ≈ A⁻¹ [1, 1]
 * await new NeumannInverseLinearOperator(a.scale(10)).matvec(tensor([1, 1], { dtype: "float64" })); // ValueError: diverges, try a smaller scale
 * ```
 */
export class NeumannInverseLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly operator: LinearOperator<D>;
  readonly numTerms: number;
  readonly scaleFactor: number;
  readonly checkNan: boolean;
  readonly preconditioner: LinearOperator<D> | undefined;

  constructor(operator: LinearOperator<D>, { numTerms = 100, scale = 1, checkNan = true, preconditioner }: NeumannOptions<D> = {}) {
    checkOperator(operator, WHO);
    assertSquareOperator(operator, WHO);
    super({ dtype: operator.dtype, inputShapes: operator.outputShapes, outputShapes: operator.inputShapes });
    this.operator = operator;
    this.numTerms = checkInteger(numTerms, WHO, "numTerms", 0);
    if (typeof scale !== "number" || !Number.isFinite(scale) || scale === 0) {
      throw new ValueError(`${WHO}: scale must be a finite non-zero number, got ${String(scale)}`);
    }
    this.scaleFactor = scale;
    this.checkNan = checkNan;
    this.preconditioner = checkPreconditioner(preconditioner, operator, WHO);
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const [n, k] = x.shape;
    const alpha = this.scaleFactor;
    const rhs = await this.precondition(float64Values(x), k, "the preconditioner's product with the right-hand side");
    const term = Float64Array.from(rhs);
    const sum = Float64Array.from(rhs);
    for (let power = 1; power <= this.numTerms; power++) {
      // term ← (I − αPA) term, the next power of the series applied to P X.
      const product = await this.operator.matmat(matrixTensor(term, n, k, this.dtype));
      const preconditioned = await this.precondition(float64Values(product), k, `the preconditioner's product at term ${power}`, false);
      for (let i = 0; i < term.length; i++) {
        term[i] -= alpha * preconditioned[i];
        sum[i] += term[i];
      }
      if (this.checkNan && !sum.every(Number.isFinite)) {
        throw new ValueError(
          `${WHO}: the partial sum holds NaN or Inf after term ${power} of ${this.numTerms}: the Neumann series diverges ` +
            `(it converges only when the eigenvalues of scale·P·A lie in (0, 2)); try a smaller scale than ${alpha}`,
        );
      }
    }
    for (let i = 0; i < sum.length; i++) sum[i] *= alpha;
    return matrixTensor(sum, n, k, this.dtype);
  }

  private async precondition(values: Float64Array, columns: number, what: string, check = true): Promise<Float64Array> {
    if (this.preconditioner === undefined) return values;
    if (!check) return float64Values(await this.preconditioner.matmat(matrixTensor(values, this.shape[0], columns, this.dtype)));
    return multiplyColumns(this.preconditioner, values, columns, WHO, what);
  }

  /** `(A⁻¹)ᵀ`: the series of `Aᵀ` with `Pᵀ` (curvlinops needs a bound operator for this; here P always is one). */
  adjoint(): LinearOperator<D> {
    if (this.isSelfAdjoint) return this;
    return new NeumannInverseLinearOperator(this.operator.adjoint(), {
      numTerms: this.numTerms, scale: this.scaleFactor, checkNan: this.checkNan, preconditioner: this.preconditioner?.adjoint(),
    });
  }

  /** Symmetric when `A` and `P` are: `((PA)ᵏP)ᵀ = P(AP)ᵏ = (PA)ᵏP`. */
  override get isSelfAdjoint(): boolean {
    return this.operator.isSelfAdjoint && (this.preconditioner?.isSelfAdjoint ?? true);
  }
}
