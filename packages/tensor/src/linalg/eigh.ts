import type { FloatDType } from "../dtype.js";
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { readSquareMatrix, toTensor } from "./matrix-input.js";
import { assertSymmetric, defaultSymmetryTolerance, maxAbs, mirrorTriangle, type Triangle } from "./symmetry.js";
import { tridiagonalEigen } from "./tridiagonal-eigen.js";
import { tridiagonalize } from "./tridiagonalize.js";

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Which triangle to read, `"L"` (default, as NumPy) or `"U"`; the other is only checked for symmetry. */
  uplo?: Triangle;
  /**
   * Largest accepted `|a_ij - a_ji|`, relative to `max |a|`. Defaults to the
   * square root of the input dtype's machine epsilon; `Infinity` skips the check.
   */
  symmetryTolerance?: number;
}

/** The result of {@link eigh}: `A = V diag(w) V^T`. */
export interface EighResult<D extends FloatDType> {
  /** `w`, ascending, shape `[n]`. */
  eigenvalues: Tensor<D>;
  /** `V`, shape `[n, n]`; column `j` is the unit eigenvector for `eigenvalues[j]`. */
  eigenvectors: Tensor<D>;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix (NumPy's `eigh`).
 *
 * Householder tridiagonalization followed by the implicit symmetric QR
 * algorithm with Wilkinson shifts (Golub & Van Loan, 4th ed., sections
 * 8.3.1-8.3.5), in float64 on a copy scaled by its largest entry (so neither
 * overflow nor underflow can occur in the iteration). float32 input is
 * computed in float64 and rounded to float32 at the end.
 *
 * Throws a `ValueError` if `a` is not symmetric within `symmetryTolerance` or
 * holds NaN/Inf, a `ShapeError` if it is not a square 2-D matrix, and a
 * `LinAlgError` in the (practically unseen) case that the iteration fails to
 * converge.
 *
 * @example
 * ```ts
 * const { eigenvalues, eigenvectors } = eigh(tensor([[2, 1], [1, 2]], { dtype: "float64" }));
 * eigenvalues.toArray();   // [1, 3]
 * eigenvectors.toNested(); // [[-0.7071, 0.7071], [0.7071, 0.7071]] up to the sign of each column
 * ```
 */
export function eigh<D extends FloatDType>(a: Tensor<D>, { uplo = "L", symmetryTolerance }: EighOptions = {}): EighResult<D> {
  if (uplo !== "L" && uplo !== "U") throw new ValueError(`eigh: uplo must be "L" or "U", got ${String(uplo)}`);
  const { data, rows: n, dtype } = readSquareMatrix(a, "eigh", "a");
  const tolerance = symmetryTolerance ?? defaultSymmetryTolerance(dtype);
  if (!(tolerance >= 0)) throw new ValueError(`eigh: symmetryTolerance must be a non-negative number, got ${tolerance}`);
  assertSymmetric(data, n, tolerance, "eigh", "a");
  mirrorTriangle(data, n, uplo);

  const scale = maxAbs(data);
  if (scale > 0) for (let i = 0; i < data.length; i++) data[i] /= scale;
  const { diagonal, offDiagonal, qTransposed } = tridiagonalize(data, n);
  tridiagonalEigen(diagonal, offDiagonal, qTransposed, n);

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diagonal[i] - diagonal[j]);
  const eigenvalues = new Float64Array(n);
  const eigenvectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const source = order[j];
    eigenvalues[j] = diagonal[source] * (scale > 0 ? scale : 1);
    const row = source * n;
    for (let i = 0; i < n; i++) eigenvectors[i * n + j] = qTransposed[row + i];
  }
  return {
    eigenvalues: toTensor(eigenvalues, [n], a.dtype),
    eigenvectors: toTensor(eigenvectors, [n, n], a.dtype),
  };
}
