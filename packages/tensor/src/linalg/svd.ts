import type { FloatDType } from "../dtype.js";
import { gemmInto } from "../kernels/gemm-into.js";
import type { Tensor } from "../tensor.js";
import { jacobiOrthogonalizeRows } from "./jacobi-svd.js";
import { readMatrix, toTensor } from "./matrix-input.js";
import { completeOrthonormalColumns } from "./orthonormal-completion.js";
import { formQ, householderQr } from "./qr.js";
import { maxAbs } from "./symmetry.js";

/** Options of {@link svd}. */
export interface SvdOptions {
  /**
   * `false` (default): `u` is `m x k`, `vt` is `k x n` with `k = min(m, n)`.
   * `true`: `u` is `m x m` and `vt` is `n x n`, both orthogonal. As NumPy's `full_matrices`.
   */
  fullMatrices?: boolean;
}

/** The result of {@link svd}: `A = U diag(s) V^T`. */
export interface SvdResult<D extends FloatDType> {
  /** Left singular vectors as orthonormal columns. */
  u: Tensor<D>;
  /** Singular values, non-negative and descending, shape `[min(m, n)]`. */
  s: Tensor<D>;
  /** Right singular vectors as orthonormal rows (`V^T`). */
  vt: Tensor<D>;
}

/**
 * The singular value decomposition of any `m x n` matrix (NumPy's `svd`).
 *
 * A tall matrix is first reduced to its square triangular factor `R` by
 * Householder QR, a wide one is handled through its transpose, and the
 * square factor is diagonalized by one-sided Jacobi rotations (Golub & Van
 * Loan, 4th ed., section 8.6.3; QR preconditioning as in Drmac & Veselic
 * 2008). Jacobi is slower than Golub-Kahan bidiagonalization but computes
 * small singular values to high relative accuracy; it is meant for the
 * matrices curv meets on the host (n up to a few hundred). Singular vectors
 * of zero singular values are completed to orthonormal bases.
 *
 * Computed in float64 on a copy scaled by its largest entry; float32 input
 * gives float32 results. Throws a `ShapeError` for a non-2-D input and a
 * `ValueError` for NaN/Inf entries.
 *
 * @example
 * ```ts
 * const { u, s, vt } = svd(tensor([[3, 0], [4, 5]], { dtype: "float64" }));
 * s.toArray(); // [6.7082..., 2.2360...] = [3 sqrt(5), sqrt(5)]
 * ```
 */
export function svd<D extends FloatDType>(a: Tensor<D>, { fullMatrices = false }: SvdOptions = {}): SvdResult<D> {
  const { data, rows: m, cols: n } = readMatrix(a, "svd", "a");
  if (m >= n) {
    const result = tallSvd(data, m, n, fullMatrices);
    return {
      u: toTensor(result.u, [m, result.uCols], a.dtype),
      s: toTensor(result.s, [n], a.dtype),
      vt: toTensor(result.vt, [n, n], a.dtype),
    };
  }
  // A^T = U' diag(s) V'^T, so A = V' diag(s) U'^T: u = V' = (V'^T)^T and vt = U'^T.
  const result = tallSvd(transposed(data, m, n), n, m, fullMatrices);
  return {
    u: toTensor(transposed(result.vt, m, m), [m, m], a.dtype),
    s: toTensor(result.s, [m], a.dtype),
    vt: toTensor(transposed(result.u, n, result.uCols), [result.uCols, n], a.dtype),
  };
}

/** The SVD of a row-major `m x n` matrix with `m >= n`, as flat arrays; `u` is `m x uCols`. */
interface TallSvd {
  u: Float64Array;
  uCols: number;
  s: Float64Array;
  vt: Float64Array;
}

/** SVD of `a` (`m x n`, `m >= n`, overwritten): QR if tall, Jacobi on the square factor, then `U = Q U_R`. */
function tallSvd(a: Float64Array, m: number, n: number, fullMatrices: boolean): TallSvd {
  const scale = maxAbs(a);
  if (scale > 0) for (let i = 0; i < a.length; i++) a[i] /= scale;
  let square = a;
  let q: Float64Array | undefined;
  const qCols = fullMatrices ? m : n;
  if (m > n) {
    const { rDiagonal, taus } = householderQr(a, m, n);
    square = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      square[i * n + i] = rDiagonal[i];
      for (let j = i + 1; j < n; j++) square[i * n + j] = a[i * n + j];
    }
    q = formQ(a, m, n, taus, qCols);
  }
  const { u: uSquare, s, vt } = squareSvd(square, n);
  for (let i = 0; i < n; i++) s[i] *= scale;
  if (q === undefined) return { u: uSquare, uCols: n, s, vt };
  // U = Q [U_R, 0; 0, I]: the first n columns are Q[:, :n] U_R, the rest (full matrices only) are Q's own.
  const u = new Float64Array(m * qCols);
  gemmInto(m, n, n, q, 0, qCols, 1, uSquare, 0, n, 1, u, 0, qCols);
  for (let i = 0; i < m; i++) for (let j = n; j < qCols; j++) u[i * qCols + j] = q[i * qCols + j];
  return { u, uCols: qCols, s, vt };
}

/** Below the smallest normal double, `y_i / s_i` would lose precision: such a singular vector is completed instead. */
const SMALLEST_NORMAL = 2 ** -1022;

/** SVD of a square `n x n` matrix by one-sided Jacobi on the rows of its transpose, sorted descending. */
function squareSvd(b: Float64Array, n: number): { u: Float64Array; s: Float64Array; vt: Float64Array } {
  const y = transposed(b, n, n);
  const j = new Float64Array(n * n);
  for (let i = 0; i < n; i++) j[i * n + i] = 1;
  jacobiOrthogonalizeRows(y, n, n, j);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += y[i * n + k] ** 2;
    norms[i] = Math.sqrt(sum);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((p, r) => norms[r] - norms[p]);
  const s = new Float64Array(n);
  const u = new Float64Array(n * n);
  const vt = new Float64Array(n * n);
  const known: boolean[] = [];
  order.forEach((source, c) => {
    s[c] = norms[source];
    vt.set(j.subarray(source * n, (source + 1) * n), c * n);
    known.push(s[c] >= SMALLEST_NORMAL);
    if (known[c]) for (let r = 0; r < n; r++) u[r * n + c] = y[source * n + r] / s[c];
  });
  completeOrthonormalColumns(u, n, n, known);
  return { u, s, vt };
}

function transposed(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
  return out;
}
