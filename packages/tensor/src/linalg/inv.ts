import type { FloatDType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { luFactorInPlace, luSolveInPlace } from "./lu.js";
import { readSquareMatrix, toTensor } from "./matrix-input.js";

/**
 * The inverse of a square matrix, by LU factorization with partial pivoting
 * and a solve against the identity (NumPy's `inv`). Prefer {@link solve} for
 * `A^{-1} b`: it is cheaper and more accurate.
 *
 * Throws a `LinAlgError` if `A` is singular.
 *
 * @example
 * ```ts
 * inv(tensor([[2, 0], [0, 4]], { dtype: "float64" })).toNested(); // [[0.5, 0], [0, 0.25]]
 * ```
 */
export function inv<D extends FloatDType>(a: Tensor<D>): Tensor<D> {
  const { data, rows: n } = readSquareMatrix(a, "inv", "a");
  const { pivots } = luFactorInPlace(data, n);
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  luSolveInPlace(data, n, pivots, x, n, "inv");
  return toTensor(x, [n, n], a.dtype);
}
