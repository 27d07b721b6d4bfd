import {
  DTypeError, LinAlgError, ShapeError, Tensor, ValueError, eigh, formatShape, inv, isFloat, slogdet,
  type FloatDType, type SignAndLogDeterminant,
} from "@curv/tensor";
import { checkDamping, type InvertibleLinearOperator } from "./damped-inverse.js";
import { frobeniusNormOfValues, isExactlySymmetric, traceOfMatrix } from "./dense-fallbacks.js";
import { EigendecomposedLinearOperator } from "./eigendecomposed-linear-operator.js";
import { checkKroneckerDamping, heuristicFactorDampings, type KroneckerInverseOptions } from "./kronecker-damping.js";
import { kronVectors, kroneckerDense, kroneckerMatmat } from "./kronecker-products.js";
import { LinearOperator } from "./linear-operator.js";

function checkFactors(factors: readonly Tensor[]): void {
  const who = "KroneckerProductLinearOperator";
  if (factors.length === 0) throw new ValueError(`${who}: expected at least one factor`);
  factors.forEach((s, i) => {
    if (!(s instanceof Tensor)) throw new ValueError(`${who}: factor ${i} must be a Tensor`);
    if (!isFloat(s.dtype)) throw new DTypeError(`${who}: factor ${i} must be float32 or float64, got ${s.dtype}`);
    if (s.dtype !== factors[0].dtype) throw new DTypeError(`${who}: factor ${i} is ${s.dtype} but factor 0 is ${factors[0].dtype}`);
    if (s.ndim !== 2) throw new ShapeError(`${who}: factor ${i} must be a 2-D matrix, got shape ${formatShape(s.shape)}`);
  });
}

const product = (values: readonly number[]): number => values.reduce((p, v) => p * v, 1);

/**
 * `S₁ ⊗ S₂ ⊗ ⋯ ⊗ S_k` of any number of matrix factors (curvlinops'
 * `KroneckerProductLinearOperator`); products apply one factor at a time and
 * never form the Kronecker product.
 *
 * **Convention (row-major vec):** for two factors `A` (`[m, n]`) and `B`
 * (`[p, q]`), `(A ⊗ B)` maps `vec(X)` of a `[n, q]` matrix `X`, flattened
 * row-major as curv and PyTorch flatten parameters, to `vec(A X Bᵀ)`; entry
 * `((i, j), (k, l))` of the product, at row `i·p + j` and column `k·q + l`, is
 * `A_ik B_jl`. KFAC's `G ⊗ A` acts on a `[out, in]` weight `W` as `G W Aᵀ`.
 *
 * Exact, from the factors (square factors, `N = Π nᵢ`):
 * - `trace = Π tr Sᵢ`; `det = Π det(Sᵢ)^(N/nᵢ)`; `logdet = Σ (N/nᵢ) logdet Sᵢ`
 *   (for two: `n_B logdet A + n_A logdet B`); `‖·‖_F = Π ‖Sᵢ‖_F` (any shapes).
 * - `inverse()` = `S₁⁻¹ ⊗ ⋯ ⊗ S_k⁻¹` (LU of each factor);
 *   `inverse(damping ≠ 0)` = `(⊗Qᵢ)(⊗Λᵢ + damping)⁻¹(⊗Qᵢ)ᵀ` from `eigh` of each
 *   factor (the factors must then be symmetric), an
 *   {@link EigendecomposedLinearOperator} whose eigenvectors stay a Kronecker product.
 *   KFAC's per-factor and heuristic damping are options (`{ damping: "per-factor" }`).
 *
 * @example
 * ```ts
 * const a = tensor([[2, 1], [1, 3]], { dtype: "float64" });
 * const b = tensor([[4, 0, 1], [0, 1, 0], [1, 0, 2]], { dtype: "float64" });
 * const k = new KroneckerProductLinearOperator(a, b);         // 6 x 6
 * const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
 * await k.matvec(x.reshape([6]));                              // = vec(a @ x @ bᵀ)
 * await k.logdet();                                            // 3 log det a + 2 log det b
 * const dampedInverse = k.inverse(0.1);                        // (a ⊗ b + 0.1 I)⁻¹, exactly
 * ```
 */
export class KroneckerProductLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> implements InvertibleLinearOperator<D> {
  /** `S₁, …, S_k`, left to right (not copied: do not change them). */
  readonly factors: readonly Tensor<D>[];

  constructor(...factors: Tensor<D>[]) {
    checkFactors(factors);
    const rows = product(factors.map((s) => s.shape[0]));
    const cols = product(factors.map((s) => s.shape[1]));
    super({ dtype: factors[0].dtype, inputShapes: [[cols]], outputShapes: [[rows]] });
    this.factors = Object.freeze([...factors]);
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    return kroneckerMatmat(this.factors, x);
  }

  #symmetric: boolean | undefined;

  /** Whether every factor equals its transpose exactly (checked once, O(Σ nᵢ²)): then so does the product. */
  override get isSelfAdjoint(): boolean {
    this.#symmetric ??= this.factors.every(isExactlySymmetric);
    return this.#symmetric;
  }

  /** `S₁ᵀ ⊗ ⋯ ⊗ S_kᵀ`. */
  adjoint(): LinearOperator<D> {
    if (this.isSelfAdjoint) return this;
    return new KroneckerProductLinearOperator(...this.factors.map((s) => s.transpose()));
  }

  /** The Kronecker product formed from the factors directly (no products with identity columns). */
  override async toDense(): Promise<Tensor<D>> {
    return kroneckerDense(this.factors);
  }

  #assertSquareFactors(method: string): void {
    this.factors.forEach((s, i) => {
      if (s.shape[0] !== s.shape[1]) {
        throw new ShapeError(`${this.constructor.name}.${method}: needs square factors, factor ${i} has shape ${formatShape(s.shape)}`);
      }
    });
  }

  override async trace(): Promise<number> {
    this.#assertSquareFactors("trace");
    return product(this.factors.map(traceOfMatrix));
  }

  override async det(): Promise<number> {
    const { sign, logAbsDet } = await this.slogdet();
    // Products of powers of factor determinants overflow as readily as this; logarithms keep the sign right.
    return sign * Math.exp(logAbsDet);
  }

  override async slogdet(): Promise<SignAndLogDeterminant> {
    this.#assertSquareFactors("slogdet");
    const n = this.shape[0];
    let sign = 1;
    let logAbsDet = 0;
    for (const factor of this.factors) {
      const power = n / factor.shape[0];
      const s = slogdet(factor);
      if (s.sign === 0) return { sign: 0, logAbsDet: -Infinity };
      if (s.sign < 0 && power % 2 === 1) sign = -sign;
      logAbsDet += power * s.logAbsDet;
    }
    return { sign, logAbsDet };
  }

  override async frobeniusNorm(): Promise<number> {
    return product(this.factors.map((s) => frobeniusNormOfValues(s.data)));
  }

  #factorInverse(factor: Tensor<D>, damping: number, index: number): Tensor<D> {
    const damped = factor.clone();
    const n = factor.shape[0];
    for (let i = 0; i < n; i++) damped.data[i * n + i] += damping;
    try {
      return inv(damped);
    } catch (error) {
      if (!(error instanceof LinAlgError)) throw error;
      const what = damping === 0 ? `factor ${index}` : `factor ${index} + ${damping}·I`;
      throw new LinAlgError(`${this.constructor.name}.inverse: ${what} is singular, so is the Kronecker product`, { cause: error });
    }
  }

  /**
   * `(⊗Sᵢ + damping·I)⁻¹`, damped as `options.damping` says (default
   * `"exact"`, see {@link KroneckerDamping}).
   *
   * Exact damping with `damping = 0` is the Kronecker product of the factor
   * inverses; otherwise it goes through `eigh` of every factor, which must then
   * be symmetric (else a `ValueError`), and returns an
   * {@link EigendecomposedLinearOperator}. Per-factor and heuristic damping
   * invert each damped factor by LU. A singular factor (or damped factor) is a
   * `LinAlgError` naming it.
   */
  inverse(damping = 0, options: KroneckerInverseOptions = {}): LinearOperator<D> {
    const who = this.constructor.name;
    checkDamping(damping, who);
    const mode = checkKroneckerDamping(options.damping ?? "exact", who);
    this.#assertSquareFactors("inverse");
    if (mode === "exact" && damping !== 0) return this.#exactlyDampedInverse(damping);
    const dampings = mode === "heuristic"
      ? heuristicFactorDampings(this.factors, damping, options.minDamping ?? 1e-8, who)
      : this.factors.map(() => (mode === "per-factor" ? damping : 0));
    return new KroneckerProductLinearOperator(...this.factors.map((s, i) => this.#factorInverse(s, dampings[i], i)));
  }

  #exactlyDampedInverse(damping: number): LinearOperator<D> {
    const decompositions = this.factors.map((s) => eigh(s));
    let eigenvalues: Float64Array = Float64Array.from(decompositions[0].eigenvalues.data);
    for (const { eigenvalues: next } of decompositions.slice(1)) eigenvalues = kronVectors(eigenvalues, next.data);
    const lambda = new Tensor(this.dtype, [eigenvalues.length]);
    lambda.data.set(eigenvalues);
    const eigenbasis = new KroneckerProductLinearOperator(...decompositions.map((d) => d.eigenvectors));
    return new EigendecomposedLinearOperator(lambda, eigenbasis).inverse(damping);
  }
}
