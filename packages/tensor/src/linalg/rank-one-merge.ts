import { gemmInto } from "../kernels/gemm-into.js";
import { loewnerWeights, secularRoot } from "./secular-equation.js";

/**
 * Where a column of the merged eigenvector block is nonzero: only in the rows
 * of the first half, in both (after a deflating rotation mixed two halves),
 * or only in the rows of the second half. LAPACK's `dlaed2` column types 1-3.
 */
const enum ColumnType {
  Top = 0,
  Dense = 1,
  Bottom = 2,
}

/**
 * The merge step of Cuppen's divide and conquer (Golub & Van Loan, 4th ed.,
 * section 8.5.4; LAPACK's `dlaed1`-`dlaed3`). On entry `d[start : start + size]`
 * holds the ascending eigenvalues of two halves of sizes `firstSize` and
 * `size - firstSize`, and the diagonal blocks `Q1`, `Q2` of the `size x size`
 * block of `vectors` at `(start, start)` (row-major, leading dimension `ld`)
 * their eigenvectors as columns. The halves were torn from a tridiagonal
 * matrix at an off-diagonal `beta`, so the whole is
 *
 *   T = diag(Q1, Q2) (diag(D1, D2) + rho z z^T) diag(Q1, Q2)^T,
 *   z = [last row of Q1, sign(beta) first row of Q2] / sqrt(2),  rho = 2 |beta|.
 *
 * On return the block and `d` hold `T`'s ascending eigenvalues and vectors.
 * Components of `z` too small to matter, and pairs of nearly equal
 * eigenvalues (after a rotation that zeroes one component), are deflated:
 * their eigenpairs pass through unchanged. The rest solve the secular
 * equation, get Gu & Eisenstat's recomputed weights so their vectors stay
 * orthogonal, and the new vectors are `diag(Q1, Q2)` times the secular
 * vectors, one product per half that skips the zero blocks.
 */
export function mergeHalves(d: Float64Array, vectors: Float64Array, ld: number, start: number, firstSize: number, size: number, beta: number): void {
  const block = start * ld + start;
  const z = new Float64Array(size);
  const sign = beta >= 0 ? Math.SQRT1_2 : -Math.SQRT1_2;
  for (let j = 0; j < firstSize; j++) z[j] = Math.SQRT1_2 * vectors[block + (firstSize - 1) * ld + j];
  for (let j = firstSize; j < size; j++) z[j] = sign * vectors[block + firstSize * ld + j];
  const rho = 2 * Math.abs(beta);
  const values = d.subarray(start, start + size);
  const types = new Uint8Array(size).fill(ColumnType.Top, 0, firstSize).fill(ColumnType.Bottom, firstSize);
  const { kept, deflated } = deflate(values, z, rho, vectors, block, ld, size, types);

  const k = kept.length;
  const poles = Float64Array.from(kept, (j) => values[j]);
  const weights = Float64Array.from(kept, (j) => z[j]);
  const roots = new Float64Array(k);
  const differences = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const { origin, tau } = secularRoot(poles, weights, rho, i, differences.subarray(i * k, (i + 1) * k));
    roots[i] = poles[origin] + tau;
  }
  const products = secularVectorsTimesHalves(poles, weights, differences, kept, types, vectors, block, ld, firstSize, size);

  // Merge kept roots and deflated eigenvalues into ascending order, columns with them.
  const sources = [...Array.from(roots, (value, i) => ({ value, root: i, column: -1 })), ...deflated.map((j) => ({ value: values[j], root: -1, column: j }))];
  sources.sort((x, y) => x.value - y.value);
  const merged = new Float64Array(size * size);
  sources.forEach(({ root, column }, c) => {
    if (root >= 0) for (let r = 0; r < size; r++) merged[r * size + c] = products[r * k + root];
    else for (let r = 0; r < size; r++) merged[r * size + c] = vectors[block + r * ld + column];
  });
  sources.forEach(({ value }, c) => (values[c] = value));
  for (let r = 0; r < size; r++) vectors.set(merged.subarray(r * size, (r + 1) * size), block + r * ld);
}

/**
 * `dlaed2`'s deflation on `D + rho z z^T` (Golub & Van Loan section 8.5.4;
 * the tolerance `8 eps max(|d|, |z|)` is LAPACK's). Walking the eigenvalues
 * in ascending order, a component with `rho |z_j| <= tol` is deflated as it
 * is; for two consecutive survivors `p < j`, the rotation in the `(p, j)`
 * plane that zeroes `z_p` is applied (to `z`, to `D`, and to columns `p, j`
 * of the block) when the off-diagonal entry it leaves, `|t c s|` with
 * `t = d_j - d_p`, is below `tol`, and `p` is deflated. Returns the survivors
 * (ascending, strictly separated) and the deflated indices.
 */
function deflate(
  values: Float64Array, z: Float64Array, rho: number,
  vectors: Float64Array, block: number, ld: number, size: number, types: Uint8Array,
): { kept: number[]; deflated: number[] } {
  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => values[i] - values[j]);
  let largest = 0;
  for (let j = 0; j < size; j++) largest = Math.max(largest, Math.abs(values[j]), Math.abs(z[j]));
  const tol = 8 * Number.EPSILON * largest;
  const kept: number[] = [];
  const deflated: number[] = [];
  let previous = -1;
  for (const j of order) {
    if (rho * Math.abs(z[j]) <= tol) {
      deflated.push(j);
      continue;
    }
    if (previous >= 0) {
      const tau = Math.hypot(z[j], z[previous]);
      const c = z[j] / tau;
      const s = -z[previous] / tau;
      const t = values[j] - values[previous];
      if (Math.abs(t * c * s) <= tol) {
        z[j] = tau;
        z[previous] = 0;
        if (types[j] !== types[previous]) types[j] = ColumnType.Dense;
        rotateColumns(vectors, block + previous, block + j, ld, size, c, s);
        const dp = values[previous];
        const dj = values[j];
        values[previous] = dp * c * c + dj * s * s;
        values[j] = dp * s * s + dj * c * c;
        deflated.push(previous);
      } else {
        kept.push(previous);
      }
    }
    previous = j;
  }
  if (previous >= 0) kept.push(previous);
  return { kept, deflated };
}

/** `[x, y] <- [c x + s y, c y - s x]` for the columns starting at `x` and `y` (BLAS `drot`). */
function rotateColumns(a: Float64Array, x: number, y: number, ld: number, rows: number, c: number, s: number): void {
  for (let r = 0; r < rows; r++) {
    const xr = a[x + r * ld];
    const yr = a[y + r * ld];
    a[x + r * ld] = c * xr + s * yr;
    a[y + r * ld] = c * yr - s * xr;
  }
}

/**
 * The `size x k` product of the kept columns of the block and the secular
 * eigenvectors: column `i` is `sum_j Q[:, kept_j] w_hat_j / (d_j - lambda_i)`,
 * normalized, with `w_hat` from {@link loewnerWeights} (`dlaed3`). The kept
 * columns are gathered in type order (top, dense, bottom), so the first
 * half's rows need only the top and dense ones and the second half's rows
 * only the dense and bottom ones: two GEMMs of about half the flops of one.
 */
function secularVectorsTimesHalves(
  poles: Float64Array, weights: Float64Array, differences: Float64Array, kept: number[], types: Uint8Array,
  vectors: Float64Array, block: number, ld: number, firstSize: number, size: number,
): Float64Array {
  const k = kept.length;
  const counts = [0, 0, 0];
  for (const j of kept) counts[types[j]]++;
  const next = [0, counts[0], counts[0] + counts[1]];
  const position = kept.map((j) => next[types[j]]++);

  const gathered = new Float64Array(size * k);
  for (let r = 0; r < size; r++) {
    const row = block + r * ld;
    for (let t = 0; t < k; t++) gathered[r * k + position[t]] = vectors[row + kept[t]];
  }
  // Row i of `secular` is eigenvector i of D + rho w_hat w_hat^T, its entries in type order.
  const hat = loewnerWeights(poles, weights, differences);
  const secular = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const row = i * k;
    let normSquared = 0;
    for (let j = 0; j < k; j++) {
      const entry = hat[j] / differences[row + j];
      differences[row + j] = entry;
      normSquared += entry * entry;
    }
    const inverseNorm = 1 / Math.sqrt(normSquared);
    for (let j = 0; j < k; j++) secular[row + position[j]] = differences[row + j] * inverseNorm;
  }
  // products = gathered secular^T, secular^T read with swapped strides.
  const products = new Float64Array(size * k);
  const topDepth = counts[0] + counts[1];
  const bottomDepth = counts[1] + counts[2];
  gemmInto(firstSize, k, topDepth, gathered, 0, k, 1, secular, 0, 1, k, products, 0, k);
  gemmInto(size - firstSize, k, bottomDepth, gathered, firstSize * k + counts[0], k, 1, secular, counts[0], 1, k, products, firstSize * k, k);
  return products;
}
