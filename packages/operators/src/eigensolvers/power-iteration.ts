import { Generator, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { asOperator, assertSquareOperator, checkInteger, checkPositive, multiplyColumns, type MatrixLike } from "../algorithm-inputs.js";
import { dot, norm, orthogonalize, randomVector } from "./orthonormal-basis.js";

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  /** How many eigenpairs, found one after the other (each deflated against the previous ones); default 1. */
  k?: number;
  /** Most iterations (matvecs) per eigenpair; default 1000. */
  maxIter?: number;
  /** Stop when the eigenvalue estimate changes by at most `tol` relative to itself; default 1e-3, as curvlinops' example. */
  tol?: number;
  /** Draws the start vectors; default `new Generator(0)`. */
  generator?: Generator;
}

/** The result of {@link powerIteration}. */
export interface PowerIterationResult<D extends FloatDType> {
  /** In the order found: by decreasing magnitude. */
  eigenvalues: number[];
  /** `[n, k]` unit eigenvectors, column i for `eigenvalues[i]`. */
  eigenvectors: Tensor<D>;
  /** Matvecs per eigenpair, and whether its estimate met `tol`. */
  iterations: number[];
  converged: boolean[];
  numMatvecs: number;
}

const WHO = "powerIteration";

/**
 * The power method for the top-k (in magnitude) eigenpairs of a symmetric
 * operator, as in curvlinops' eigenvalue example (after PyHessian): repeated
 * `v ← A v / ‖A v‖` with the Rayleigh quotient as the estimate, each new
 * vector kept orthogonal to the eigenvectors already found. Converges at the
 * rate `|λ₂/λ₁|` per matvec, so it needs far more products than {@link eigsh};
 * it is here for comparison.
 *
 * @example
 * ```ts
 * const { eigenvalues, numMatvecs } = await powerIteration(hessian, { k: 3, tol: 1e-6 });
 * ```
 */
export async function powerIteration<D extends FloatDType>(a: MatrixLike<D>, options: PowerIterationOptions = {}): Promise<PowerIterationResult<D>> {
  const operator = asOperator(a, WHO);
  const n = assertSquareOperator(operator, WHO);
  const { k = 1, maxIter = 1000, tol = 1e-3, generator = new Generator(0) } = options ?? {};
  checkInteger(k, WHO, "k", 1, n);
  checkInteger(maxIter, WHO, "maxIter", 1);
  checkPositive(tol, WHO, "tol", { allowZero: true });
  if (!(generator instanceof Generator)) throw new ValueError(`${WHO}: generator must be a Generator of @curv/tensor`);
  const found: Float64Array[] = [];
  const result: PowerIterationResult<D> = { eigenvalues: [], eigenvectors: new Tensor(operator.dtype, [n, k]), iterations: [], converged: [], numMatvecs: 0 };
  for (let index = 0; index < k; index++) {
    let v = randomVector(n, generator);
    orthogonalize(v, found);
    v = v.map((x) => x / norm(v));
    let estimate = NaN;
    let iterations = 0;
    let converged = false;
    while (iterations < maxIter && !converged) {
      iterations++;
      const av = await multiplyColumns(operator, v, 1, WHO, `the product of A at iteration ${iterations} of eigenpair ${index}`);
      orthogonalize(av, found);
      const next = dot(v, av);
      converged = Math.abs(next - estimate) <= tol * Math.abs(next);
      estimate = next;
      const length = norm(av);
      if (length === 0) break; // v spans an eigenvector of eigenvalue 0 in the remaining space
      v = av.map((x) => x / length);
    }
    found.push(v);
    result.eigenvalues.push(estimate);
    result.iterations.push(iterations);
    result.converged.push(converged);
    result.numMatvecs += iterations;
    v.forEach((value, row) => (result.eigenvectors.data[row * k + index] = value));
  }
  return result;
}
