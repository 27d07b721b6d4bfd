import type { FloatDType } from "../dtype.js";
import { ValueError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { readSquareMatrix, toTensor } from "./matrix-input.js";
import { assertSymmetric, defaultSymmetryTolerance, maxAbs, mirrorTriangle, type Triangle } from "./symmetry.js";
import { tridiagonalEigenDivideConquer } from "./tridiagonal-divide-conquer.js";
import { multiplyByQTransposed, tridiagonalize } from "./tridiagonalize.js";

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
 * Householder tridiagonalization (Golub & Van Loan, 4th ed., section 8.3.1)
 * followed by Cuppen's divide and conquer on the tridiagonal matrix (section
 * 8.5.4, with Gu & Eisenstat's orthogonal eigenvectors; implicit QR with
 * Wilkinson shifts, sections 8.3.2-8.3.5, on blocks of at most 32), in
 * float64 on a copy scaled by its largest entry (so neither overflow nor
 * underflow can occur in the iteration). float32 input is
 * computed in float64 and rounded to float32 at the end.
 *
 * Throws a `ValueError` if `a` is not symmetric within `symmetryTolerance` or
 * holds NaN/Inf, a `ShapeError` if it is not a square 2-D matrix, and a
 * `LinAlgError` in the (practically unseen) case that an iteration fails to
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
  const reduction = tridiagonalize(data, n);
  const tridiagonalVectors = tridiagonalEigenDivideConquer(reduction.diagonal, reduction.offDiagonal);

  // A = Q T Q^T and T = U diag(w) U^T, so V = Q U, formed as V^T = U^T Q^T by applying Q's reflectors.
  const eigenvectorsTransposed = transpose(tridiagonalVectors, n);
  multiplyByQTransposed(reduction, eigenvectorsTransposed, n);
  const eigenvectors = transpose(eigenvectorsTransposed, n);
  const eigenvalues = reduction.diagonal;
  if (scale > 0) for (let i = 0; i < n; i++) eigenvalues[i] *= scale;
  return {
    eigenvalues: toTensor(eigenvalues, [n], a.dtype),
    eigenvectors: toTensor(eigenvectors, [n, n], a.dtype),
  };
}

/** The transpose of an `n x n` row-major matrix, in tiles of 32 x 32 so that both sides stay in cache. */
function transpose(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  const tile = 32;
  for (let i0 = 0; i0 < n; i0 += tile) {
    for (let j0 = 0; j0 < n; j0 += tile) {
      const iEnd = Math.min(i0 + tile, n);
      const jEnd = Math.min(j0 + tile, n);
      for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[j * n + i] = a[i * n + j];
    }
  }
  return out;
}
