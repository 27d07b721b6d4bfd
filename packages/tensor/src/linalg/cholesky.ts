import type { FloatDType } from "../dtype.js";
import { LinAlgError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { readSquareMatrix, toTensor } from "./matrix-input.js";
import { subtractProductTransposed } from "./products.js";
import { mirrorTriangle } from "./symmetry.js";

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Return upper-triangular `U` with `U^T U = A`, reading the upper triangle of `A`. Default: lower `L`, reading the lower triangle. */
  upper?: boolean;
}

/**
 * The Cholesky factor of a symmetric positive definite matrix: lower
 * triangular `L` with `L L^T = A` (NumPy's `cholesky`), or upper `U = L^T`
 * with `upper: true`.
 *
 * Only one triangle of `a` is read (the lower one by default), as in LAPACK's
 * `potrf`; the other is ignored, not checked. Computed in float64; float32
 * input gives a float32 factor. Throws a `LinAlgError` naming the first pivot
 * that is not positive when `a` is not positive definite, a `ShapeError` for
 * a non-square or non-2-D input and a `ValueError` for NaN/Inf entries.
 *
 * @example
 * ```ts
 * const l = cholesky(tensor([[4, 2], [2, 5]], { dtype: "float64" }));
 * l.toNested(); // [[2, 0], [1, 2]]
 * ```
 */
export function cholesky<D extends FloatDType>(a: Tensor<D>, { upper = false }: CholeskyOptions = {}): Tensor<D> {
  const { data, rows: n } = readSquareMatrix(a, "cholesky", "a");
  if (upper) mirrorTriangle(data, n, "U");
  choleskyInPlace(data, n, "cholesky");
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Entry (i, j) of the upper triangle, (j, i) of the lower: keep L, or move it into U = L^T.
      data[i * n + j] = upper ? data[j * n + i] : 0;
      if (upper) data[j * n + i] = 0;
    }
  }
  return toTensor(data, [n, n], a.dtype);
}

/** Columns per panel of the blocked factorization: panels of 64 float64 rows stay in L1/L2 while the product sweeps them. */
const PANEL_WIDTH = 64;

/**
 * Overwrites the lower triangle of the `n x n` row-major `a` with its
 * Cholesky factor `L`. The strict upper triangle is not read; the block
 * products leave scratch values in it.
 *
 * Left-looking blocked algorithm by column panels, as LAPACK's `dpotrf`
 * (Golub & Van Loan, 4th ed., section 4.2.9): for each panel of columns
 * `j0 .. j0 + w`, first subtract the contribution of all finished columns
 * (`A[j0:, panel] -= L[j0:, :j0] L[panel, :j0]^T`, one matrix product with a
 * long inner dimension, where the flops are), then factor the diagonal block
 * and solve the rows below it. Rows are contiguous in row-major storage, so
 * every inner loop is a dot product of two row segments.
 */
export function choleskyInPlace(a: Float64Array, n: number, routine: string): void {
  for (let j0 = 0; j0 < n; j0 += PANEL_WIDTH) {
    const width = Math.min(PANEL_WIDTH, n - j0);
    subtractProductTransposed(
      { data: a, offset: j0 * n + j0, ld: n },
      { data: a, offset: j0 * n, ld: n },
      { data: a, offset: j0 * n, ld: n },
      n - j0,
      width,
      j0,
    );
    factorDiagonalBlock(a, n, j0, width, routine);
    solvePanelBelow(a, n, j0, width);
  }
}

/** Unblocked dot-product Cholesky (G&VL Algorithm 4.2.1, row by row) of the `width x width` block at `(j0, j0)`. */
function factorDiagonalBlock(a: Float64Array, n: number, j0: number, width: number, routine: string): void {
  for (let i = j0; i < j0 + width; i++) {
    const rowI = i * n;
    for (let j = j0; j <= i; j++) {
      const rowJ = j * n;
      let s = a[rowI + j];
      for (let p = j0; p < j; p++) s -= a[rowI + p] * a[rowJ + p];
      if (j < i) {
        a[rowI + j] = s / a[rowJ + j];
      } else if (s > 0) {
        a[rowI + i] = Math.sqrt(s);
      } else {
        throw new LinAlgError(
          `${routine}: the matrix is not positive definite: pivot ${i} is ${s} (the leading ${i + 1} x ${i + 1} minor is not positive definite)`,
        );
      }
    }
  }
}

/** Rows below the diagonal block: `L[i, panel] = A[i, panel] L_panel^{-T}`, by forward substitution along each row. */
function solvePanelBelow(a: Float64Array, n: number, j0: number, width: number): void {
  for (let i = j0 + width; i < n; i++) {
    const rowI = i * n;
    for (let j = j0; j < j0 + width; j++) {
      const rowJ = j * n;
      let s = a[rowI + j];
      for (let p = j0; p < j; p++) s -= a[rowI + p] * a[rowJ + p];
      a[rowI + j] = s / a[rowJ + j];
    }
  }
}
