import {
  DTypeError, LinAlgError, ShapeError, Tensor, eigh, formatShape, gemm, isFloat,
  type EighOptions, type FloatDType, type SignAndLogDeterminant,
} from "@curv/tensor";
import { checkDamping, type InvertibleLinearOperator } from "./damped-inverse.js";
import { frobeniusNormOfValues } from "./dense-fallbacks.js";
import { LinearOperator } from "./linear-operator.js";

/** Eigenvectors as a matrix `[n, n]` or as an operator (e.g. a Kronecker product of factor eigenbases). */
export type Eigenvectors<D extends FloatDType> = Tensor<D> | LinearOperator<D>;

function checkFactors(eigenvalues: Tensor, eigenvectors: Eigenvectors<FloatDType>): number {
  const who = "EigendecomposedLinearOperator";
  if (!(eigenvalues instanceof Tensor) || eigenvalues.ndim !== 1) {
    throw new ShapeError(`${who}: eigenvalues must be a 1-D Tensor, got ${eigenvalues instanceof Tensor ? formatShape(eigenvalues.shape) : typeof eigenvalues}`);
  }
  if (!isFloat(eigenvalues.dtype)) throw new DTypeError(`${who}: eigenvalues must be float32 or float64, got ${eigenvalues.dtype}`);
  const n = eigenvalues.shape[0];
  const shape = eigenvectors.shape;
  if (shape.length !== 2 || shape[0] !== n || shape[1] !== n) {
    throw new ShapeError(`${who}: eigenvectors must have shape [${n}, ${n}] to match ${n} eigenvalues, got ${formatShape(shape)}`);
  }
  if (eigenvectors.dtype !== eigenvalues.dtype) {
    throw new DTypeError(`${who}: eigenvectors are ${eigenvectors.dtype} but eigenvalues are ${eigenvalues.dtype}`);
  }
  return n;
}

/**
 * `Q diag(λ) Qᵀ` with orthonormal `Q` (curvlinops' `EighDecomposedLinearOperator`),
 * the form of EKFAC blocks and of exactly damped Kronecker inverses. `Q` is a
 * matrix or an operator; orthonormality is assumed, not checked (as in
 * curvlinops), and every closed form below relies on it.
 *
 * Exact in O(n): `trace = Σλ`, `det = Πλ`, `slogdet`, `‖·‖_F = sqrt(Σλ²)`,
 * and `inverse(damping) = Q diag(1 / (λ + damping)) Qᵀ`.
 *
 * @example
 * ```ts
 * const a = EigendecomposedLinearOperator.fromSymmetric(tensor([[2, 1], [1, 2]], { dtype: "float64" }));
 * a.eigenvalues.toArray();                          // [1, 3]
 * await a.logdet();                                 // log 3
 * (await a.inverse(1).toDense()).toNested();        // inv([[3, 1], [1, 3]])
 * ```
 */
export class EigendecomposedLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> implements InvertibleLinearOperator<D> {
  /** `λ`, shape `[n]`. */
  readonly eigenvalues: Tensor<D>;
  /** `Q`, whose column `j` belongs to `eigenvalues[j]`. */
  readonly eigenvectors: Eigenvectors<D>;

  constructor(eigenvalues: Tensor<D>, eigenvectors: Eigenvectors<D>) {
    const n = checkFactors(eigenvalues, eigenvectors);
    super({ dtype: eigenvalues.dtype, inputShapes: [[n]], outputShapes: [[n]] });
    this.eigenvalues = eigenvalues;
    this.eigenvectors = eigenvectors;
  }

  /**
   * The eigendecomposition of a dense symmetric matrix, by `eigh` (which
   * throws a `ValueError` if the matrix is not symmetric within `options.symmetryTolerance`).
   */
  static fromSymmetric<D extends FloatDType>(matrix: Tensor<D>, options?: EighOptions): EigendecomposedLinearOperator<D> {
    const { eigenvalues, eigenvectors } = eigh(matrix, options);
    return new EigendecomposedLinearOperator(eigenvalues, eigenvectors);
  }

  /** The same eigenvectors with other eigenvalues (EKFAC's eigenvalue correction). */
  withEigenvalues(eigenvalues: Tensor<D>): EigendecomposedLinearOperator<D> {
    if (!(eigenvalues instanceof Tensor) || eigenvalues.ndim !== 1 || eigenvalues.shape[0] !== this.shape[0]) {
      throw new ShapeError(`${this.constructor.name}.withEigenvalues: expected shape [${this.shape[0]}], got ${eigenvalues instanceof Tensor ? formatShape(eigenvalues.shape) : typeof eigenvalues}`);
    }
    return new EigendecomposedLinearOperator(eigenvalues, this.eigenvectors);
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const q = this.eigenvectors;
    const rotated = q instanceof Tensor ? gemm(q, x, undefined, { transA: true }) : await q.rmatmat(x);
    const [n, k] = rotated.shape;
    const lambda = this.eigenvalues.data;
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) rotated.data[i * k + j] *= lambda[i];
    return q instanceof Tensor ? gemm(q, rotated) : await q.matmat(rotated);
  }

  adjoint(): LinearOperator<D> {
    return this;
  }

  override get isSelfAdjoint(): boolean {
    return true;
  }

  override async trace(): Promise<number> {
    let sum = 0;
    for (const lambda of this.eigenvalues.data) sum += lambda;
    return sum;
  }

  override async det(): Promise<number> {
    let product = 1;
    for (const lambda of this.eigenvalues.data) product *= lambda;
    return product;
  }

  override async slogdet(): Promise<SignAndLogDeterminant> {
    let sign = 1;
    let logAbsDet = 0;
    for (const lambda of this.eigenvalues.data) {
      if (lambda === 0) return { sign: 0, logAbsDet: -Infinity };
      if (lambda < 0) sign = -sign;
      logAbsDet += Math.log(Math.abs(lambda));
    }
    return { sign, logAbsDet };
  }

  override async frobeniusNorm(): Promise<number> {
    return frobeniusNormOfValues(this.eigenvalues.data);
  }

  /**
   * `Q diag(1 / (λ + damping)) Qᵀ`. Throws a `LinAlgError` if some
   * `|λᵢ + damping|` is at most `n · ε · max |λ|` (ε the dtype's machine
   * epsilon): the damped matrix is singular to working precision, and its
   * inverse would be rounding noise.
   */
  inverse(damping = 0): EigendecomposedLinearOperator<D> {
    checkDamping(damping, this.constructor.name);
    const lambda = this.eigenvalues.data;
    const n = lambda.length;
    let largest = Math.abs(damping);
    for (const l of lambda) largest = Math.max(largest, Math.abs(l));
    const epsilon = this.dtype === "float64" ? Number.EPSILON : 2 ** -23;
    const threshold = Math.max(n, 1) * epsilon * largest;
    const inverted = new Tensor(this.dtype, [n]);
    for (let i = 0; i < n; i++) {
      const shifted = lambda[i] + damping;
      if (!(Math.abs(shifted) > threshold)) {
        throw new LinAlgError(
          `${this.constructor.name}.inverse: eigenvalue ${i} + damping = ${lambda[i]} + ${damping} is zero to working precision; the damped matrix is singular`,
        );
      }
      inverted.data[i] = 1 / shifted;
    }
    return new EigendecomposedLinearOperator(inverted, this.eigenvectors);
  }
}
