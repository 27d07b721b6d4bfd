import type { FloatDType } from "../dtype.js";
import { LinAlgError, ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { readRightHandSide, readSquareMatrix, resultDType, toTensor, type PromotedFloat } from "./matrix-input.js";
import { solveTriangularInPlace } from "./triangular-solve.js";

/**
 * `P A = L U` in LAPACK's compact form, as {@link luFactor} returns it
 * (SciPy's `lu_factor` pair `(lu, piv)`).
 */
export interface LuFactorization<D extends FloatDType> {
  /** `U` on and above the diagonal, the multipliers of unit lower triangular `L` below it. */
  lu: Tensor<D>;
  /** Row `i` was swapped with row `pivots[i] >= i` at step `i` (0-based). */
  pivots: Tensor<"int32">;
}

/** What {@link luFactorInPlace} found besides the factors. */
export interface LuPivoting {
  pivots: Int32Array;
  /** `det(P)`: +1 or -1. */
  permutationSign: number;
  /** The first `i` with `U[i, i] = 0`, or -1 when `A` is nonsingular. */
  firstZeroPivot: number;
}

/**
 * LU factorization with partial pivoting of a square matrix: `P A = L U`.
 *
 * A singular matrix factors without error (its `U` has a zero on the
 * diagonal); {@link luSolve} is where that becomes a `LinAlgError`. Computed
 * in float64; float32 input gives a float32 `lu`.
 *
 * @example
 * ```ts
 * const { lu, pivots } = luFactor(tensor([[1, 2], [3, 4]], { dtype: "float64" }));
 * pivots.toArray(); // [1, 1]: rows 0 and 1 were swapped
 * lu.toNested();    // [[3, 4], [1/3, 2/3]]
 * ```
 */
export function luFactor<D extends FloatDType>(a: Tensor<D>): LuFactorization<D> {
  const { data, rows: n } = readSquareMatrix(a, "luFactor", "a");
  const { pivots } = luFactorInPlace(data, n);
  return { lu: toTensor(data, [n, n], a.dtype), pivots: new Tensor("int32", [n], pivots) };
}

/**
 * Solves `A x = b` from the factorization of `A` by {@link luFactor}; `b` is
 * `[n]` or `[n, k]`. Throws a `LinAlgError` if `A` is singular.
 *
 * @example
 * ```ts
 * const factors = luFactor(tensor([[1, 2], [3, 4]], { dtype: "float64" }));
 * luSolve(factors, tensor([5, 11], { dtype: "float64" })).toArray(); // [1, 2]
 * ```
 */
export function luSolve<D extends FloatDType, B extends FloatDType>(
  { lu, pivots }: LuFactorization<D>,
  b: Tensor<B>,
): Tensor<PromotedFloat<D, B>> {
  const factors = readSquareMatrix(lu, "luSolve", "lu");
  const n = factors.rows;
  if (!(pivots instanceof Tensor) || pivots.dtype !== "int32" || pivots.ndim !== 1 || pivots.shape[0] !== n) {
    throw new ShapeError(`luSolve: pivots must be an int32 tensor of shape [${n}], got ${describe(pivots)}`);
  }
  const swaps = pivots.data as Int32Array;
  for (let i = 0; i < n; i++) {
    if (!(swaps[i] >= i && swaps[i] < n)) throw new ValueError(`luSolve: pivots[${i}] = ${swaps[i]} is outside [${i}, ${n})`);
  }
  const rhs = readRightHandSide(b, n, "luSolve");
  luSolveInPlace(factors.data, n, swaps, rhs.data, rhs.cols, "luSolve");
  return toTensor(rhs.data, b.shape, resultDType(lu.dtype, b.dtype));
}

/**
 * Overwrites the `n x n` row-major `a` with `L` and `U` of `P A = L U`.
 *
 * Right-looking Gaussian elimination with partial pivoting (Golub & Van Loan,
 * 4th ed., Algorithm 3.4.1): at step `k` the largest `|a_ik|`, `i >= k`, is
 * swapped into the pivot position (rows are contiguous, so the swap is two
 * row copies), and each row below subtracts a multiple of the pivot row, a
 * contiguous axpy. A zero pivot column is skipped, not an error.
 */
export function luFactorInPlace(a: Float64Array, n: number): LuPivoting {
  const pivots = new Int32Array(n);
  let permutationSign = 1;
  let firstZeroPivot = -1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[p * n + k])) p = i;
    pivots[k] = p;
    if (p !== k) {
      swapRows(a, n, k, p);
      permutationSign = -permutationSign;
    }
    const rowK = k * n;
    const pivot = a[rowK + k];
    if (pivot === 0) {
      if (firstZeroPivot < 0) firstZeroPivot = k;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const rowI = i * n;
      const multiplier = a[rowI + k] / pivot;
      a[rowI + k] = multiplier;
      if (multiplier === 0) continue;
      for (let j = k + 1; j < n; j++) a[rowI + j] -= multiplier * a[rowK + j];
    }
  }
  return { pivots, permutationSign, firstZeroPivot };
}

/** Overwrites the `n x k` `x` (holding `b`) with the solution of `A x = b`, given `L U = P A` in `lu`. */
export function luSolveInPlace(lu: Float64Array, n: number, pivots: Int32Array, x: Float64Array, k: number, routine: string): void {
  for (let i = 0; i < n; i++) {
    if (lu[i * n + i] === 0) {
      throw new LinAlgError(`${routine}: the matrix is singular: U[${i}, ${i}] is zero in its LU factorization`);
    }
  }
  for (let i = 0; i < n; i++) if (pivots[i] !== i) swapRows(x, k, i, pivots[i]);
  solveTriangularInPlace(lu, n, x, k, { lower: true, unitDiagonal: true }, routine);
  solveTriangularInPlace(lu, n, x, k, { lower: false }, routine);
}

function swapRows(a: Float64Array, rowLength: number, r: number, s: number): void {
  for (let j = 0, u = r * rowLength, v = s * rowLength; j < rowLength; j++, u++, v++) {
    const t = a[u];
    a[u] = a[v];
    a[v] = t;
  }
}

function describe(x: unknown): string {
  return x instanceof Tensor ? `${x.dtype} ${formatShape(x.shape)}` : typeof x;
}
