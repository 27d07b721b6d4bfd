import { Generator, LinAlgError, Tensor, ValueError, eigh, type FloatDType } from "@curv/tensor";
import { asOperator, assertSquareOperator, checkInteger, checkPositive, multiplyColumns, type MatrixLike } from "../algorithm-inputs.js";
import type { LinearOperator } from "../linear-operator.js";
import { combine, dot, extendBasis, norm, randomVector } from "./orthonormal-basis.js";

/** Which eigenvalues to find, SciPy's `which`: largest/smallest algebraic, largest/smallest magnitude, both ends. */
export type EigshWhich = "LA" | "SA" | "LM" | "SM" | "BE";

/** Options of {@link eigsh} (SciPy `eigsh`'s keyword arguments, plus the block size and the generator). */
export interface EigshOptions {
  /** How many eigenpairs; default 6, as SciPy. `1 ≤ k < n`. */
  k?: number;
  /** Default `"LM"`, as SciPy. `"BE"`: half from each end, the odd one from the top. */
  which?: EigshWhich;
  /**
   * Relative accuracy: an eigenpair is converged when `‖A y − θ y‖ ≤ tol ·
   * max(|θ|, ε^{2/3} ‖H‖)` (ARPACK's test) or below the rounding floor
   * `ε ‖H‖ √n · ncv` of a computed residual. 0 (default, as SciPy) means
   * machine precision ε of the operator's dtype.
   */
  tol?: number;
  /** The basis size before a restart (SciPy's `ncv`); default `min(n, max(2k + blockSize, 20))`. */
  ncv?: number;
  /** Columns per product; default `min(k, ncv − k)`. Every product is one `matmat` of the whole block. */
  blockSize?: number;
  /** Most restarts; default `max(100, 10 n / ncv)`. Not converging by then is a `LinAlgError`. */
  maxIter?: number;
  /** Draws the starting block; default `new Generator(0)`, so results repeat. */
  generator?: Generator;
  /** Return eigenvectors too (default true). */
  returnEigenvectors?: boolean;
  /**
   * Largest accepted asymmetry of the projected matrix `VᵀAV`, relative to
   * its largest entry, before `A` is declared non-symmetric; default 1e-8 for
   * float64 operators, 1e-3 for float32. `Infinity` skips the check.
   */
  symmetryTolerance?: number;
}

/** The result of {@link eigsh}. */
export interface EigshResult<D extends FloatDType> {
  /** The `k` eigenvalues, ascending (as SciPy). */
  eigenvalues: number[];
  /** `[n, k]`, column `i` the unit eigenvector of `eigenvalues[i]` (when asked for). */
  eigenvectors?: Tensor<D>;
  /** `‖A yᵢ − θᵢ yᵢ‖` of each returned pair. */
  residualNorms: number[];
  /** Operator products (`matmat` calls) and the columns they carried. */
  numProducts: number;
  numMatvecs: number;
  /** Restarts used. */
  restarts: number;
}

const WHO = "eigsh";

interface Settings {
  k: number;
  which: EigshWhich;
  tolerance: number;
  ncv: number;
  blockSize: number;
  maxIter: number;
  generator: Generator;
  returnEigenvectors: boolean;
  symmetryTolerance: number;
  machine: number;
}

function settingsOf(n: number, dtype: FloatDType, options: EigshOptions): Settings {
  const { k = 6, which = "LM", tol = 0, returnEigenvectors = true } = options;
  checkInteger(k, WHO, "k", 1, n - 1);
  if (!["LA", "SA", "LM", "SM", "BE"].includes(which)) {
    throw new ValueError(`${WHO}: which must be one of "LA", "SA", "LM", "SM", "BE", got ${JSON.stringify(which)}`);
  }
  checkPositive(tol, WHO, "tol", { allowZero: true });
  const machine = dtype === "float64" ? 2 ** -52 : 2 ** -23;
  const blockDefault = Math.max(1, Math.min(k, n - k));
  const ncv = checkInteger(options.ncv ?? Math.min(n, Math.max(2 * k + (options.blockSize ?? blockDefault), 20)), WHO, "ncv", k + 1, n);
  const blockSize = checkInteger(options.blockSize ?? Math.max(1, Math.min(k, ncv - k)), WHO, "blockSize", 1, ncv - k);
  const maxIter = checkInteger(options.maxIter ?? Math.max(100, Math.ceil((10 * n) / ncv)), WHO, "maxIter", 1);
  const generator = options.generator ?? new Generator(0);
  if (!(generator instanceof Generator)) throw new ValueError(`${WHO}: generator must be a Generator of @curv/tensor`);
  const symmetryTolerance = options.symmetryTolerance ?? (dtype === "float64" ? 1e-8 : 1e-3);
  checkPositive(symmetryTolerance === Infinity ? 1 : symmetryTolerance, WHO, "symmetryTolerance", { allowZero: true });
  const tolerance = tol === 0 ? machine : tol;
  return { k, which, tolerance, ncv, blockSize, maxIter, generator, returnEigenvectors, symmetryTolerance, machine };
}

/**
 * The indices of the Ritz values `theta` (ascending) in order of preference
 * for `which`: the first k are the wanted ones, the next ones are kept at a
 * restart.
 */
export function preferenceOrder(theta: readonly number[], which: EigshWhich, k: number): number[] {
  const indices = theta.map((_, i) => i);
  switch (which) {
    case "LA":
      return indices.reverse();
    case "SA":
      return indices;
    case "LM":
      return indices.sort((a, b) => Math.abs(theta[b]) - Math.abs(theta[a]));
    case "SM":
      return indices.sort((a, b) => Math.abs(theta[a]) - Math.abs(theta[b]));
    case "BE": {
      // ceil(k/2) from the top, floor(k/2) from the bottom, then alternating outward-in.
      const order: number[] = [];
      let [low, high] = [0, theta.length - 1];
      const top = Math.ceil(k / 2);
      for (let i = 0; i < k; i++) order.push(i < top ? high-- : low++);
      while (low <= high) order.push(order.length % 2 === 0 ? high-- : low++);
      return order;
    }
  }
}

/**
 * `k` eigenpairs of a symmetric operator at one end of its spectrum (SciPy's
 * `eigsh` in its standard mode, which curvlinops users call on
 * `.to_scipy()`): a thick-restarted block Krylov method (block Lanczos with
 * full reorthogonalization and Krylov-Schur restarts, Stewart 2001; Zhou &
 * Saad 2008), where every product is one `matmat` of a whole block.
 *
 * The basis grows block by block to `ncv` vectors; the Rayleigh-Ritz step
 * uses the projected matrix `H = VᵀAV` formed from the stored products (so
 * rounding in the three-term recurrence never enters), and a restart keeps
 * the best Ritz vectors and continues from the Krylov residual block.
 * `"SM"` works (without shift-invert) but converges slowly when the small
 * eigenvalues cluster, as in ARPACK.
 *
 * Errors: a non-square `A` (`ShapeError`); `k`, `ncv`, `blockSize`, `which`,
 * `tol` out of range (`ValueError`, naming it); `A` visibly non-symmetric
 * (`VᵀAV` asymmetric beyond `symmetryTolerance`, a `ValueError`); NaN or Inf
 * in a product (`ValueError`); no convergence within `maxIter` restarts
 * (`LinAlgError`).
 *
 * @example
 * ```ts
 * const { eigenvalues, eigenvectors } = await eigsh(ggn, { k: 10, which: "LA" });
 * const [lowest, highest] = (await eigsh(hessian, { k: 2, which: "BE", tol: 1e-2 })).eigenvalues;
 * ```
 */
export async function eigsh<D extends FloatDType>(a: MatrixLike<D>, options: EigshOptions = {}): Promise<EigshResult<D>> {
  const operator = asOperator(a, WHO);
  const n = assertSquareOperator(operator, WHO);
  const settings = settingsOf(n, operator.dtype, options ?? {});
  const { k, ncv, blockSize, generator } = settings;
  const counts = { numProducts: 0, numMatvecs: 0 };
  let basis: Float64Array[] = [];
  let products: Float64Array[] = [];
  let block = extendBasis(Array.from({ length: blockSize }, () => randomVector(n, generator)), [], generator);
  for (let restart = 0; ; restart++) {
    // Grow the basis block by block: V ← [V, B], AV ← [AV, A B].
    while (block.length > 0) {
      const productBlock = await multiplyBlock(operator, block, counts, `the product of A with the basis block (restart ${restart})`);
      basis = [...basis, ...block];
      products = [...products, ...productBlock];
      if (basis.length >= ncv) break;
      block = extendBasis(productBlock.slice(0, Math.min(blockSize, ncv - basis.length)), basis, generator);
    }
    const { theta, s } = rayleighRitz(basis, products, settings.symmetryTolerance);
    const m = basis.length;
    const order = preferenceOrder(theta, settings.which, k);
    const wanted = order.slice(0, k);
    const ritzVectors = combine(basis, s, m, wanted);
    const ritzProducts = combine(products, s, m, wanted);
    const residualNorms = wanted.map((index, i) => {
      const r = ritzProducts[i].map((value, row) => value - theta[index] * ritzVectors[i][row]);
      return norm(r);
    });
    const spectralNorm = Math.max(...theta.map(Math.abs));
    // ARPACK's test, plus the floor rounding puts under a computed residual: the products' and the basis' errors.
    const floor = settings.machine * spectralNorm * Math.sqrt(n) * m;
    const converged = wanted.every((index, i) => residualNorms[i] <= Math.max(settings.tolerance * Math.max(Math.abs(theta[index]), spectralNorm * 2 ** (-52 * (2 / 3))), floor));
    if (converged || m === n) return finish(operator, theta, wanted, ritzVectors, residualNorms, counts, restart, settings.returnEigenvectors);
    if (restart + 1 >= settings.maxIter) {
      const worst = Math.max(...residualNorms);
      throw new LinAlgError(
        `${WHO}: ${k} eigenpairs (${settings.which}) did not converge within maxIter = ${settings.maxIter} restarts ` +
          `(largest residual ${worst.toExponential(2)}, tol ${settings.tolerance}); raise maxIter or ncv, or loosen tol`,
      );
    }
    // Thick restart: keep the wanted Ritz pairs and the next best ones, continue from the residual block.
    const keep = order.slice(0, Math.max(k, Math.min(ncv - blockSize, k + Math.floor((ncv - blockSize - k) / 2))));
    const lastProducts = products.slice(Math.max(0, m - blockSize));
    const next = extendBasis(lastProducts, basis, generator);
    basis = combine(basis, s, m, keep);
    products = combine(products, s, m, keep);
    block = extendBasis(next, basis, generator).slice(0, Math.min(blockSize, ncv - basis.length));
  }
}

/** One `matmat` of A with the block's vectors as columns; the product columns back as vectors. */
async function multiplyBlock(
  operator: LinearOperator, block: readonly Float64Array[], counts: { numProducts: number; numMatvecs: number }, what: string,
): Promise<Float64Array[]> {
  const n = operator.shape[0];
  const b = block.length;
  const packed = new Float64Array(n * b);
  block.forEach((v, c) => v.forEach((value, i) => (packed[i * b + c] = value)));
  const product = await multiplyColumns(operator, packed, b, WHO, what);
  counts.numProducts++;
  counts.numMatvecs += b;
  return block.map((_, c) => {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = product[i * b + c];
    return column;
  });
}

/** `H = VᵀAV`, checked for symmetry, symmetrized, and its eigendecomposition (ascending). */
function rayleighRitz(basis: readonly Float64Array[], products: readonly Float64Array[], symmetryTolerance: number): { theta: number[]; s: Float64Array } {
  const m = basis.length;
  const h = new Tensor("float64", [m, m]);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) h.data[i * m + j] = dot(basis[i], products[j]);
  let largest = 0;
  let asymmetry = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      largest = Math.max(largest, Math.abs(h.data[i * m + j]));
      asymmetry = Math.max(asymmetry, Math.abs(h.data[i * m + j] - h.data[j * m + i]));
    }
  }
  if (asymmetry > symmetryTolerance * largest) {
    throw new ValueError(
      `${WHO}: A must be symmetric, but its projection VᵀAV on a ${m}-vector basis differs from its transpose by ` +
        `${(asymmetry / largest).toExponential(2)} relative to its largest entry (symmetryTolerance ${symmetryTolerance})`,
    );
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < i; j++) {
      const mean = (h.data[i * m + j] + h.data[j * m + i]) / 2;
      h.data[i * m + j] = mean;
      h.data[j * m + i] = mean;
    }
  }
  const { eigenvalues, eigenvectors } = eigh(h);
  return { theta: eigenvalues.toArray(), s: eigenvectors.data as Float64Array };
}

function finish<D extends FloatDType>(
  operator: LinearOperator<D>, theta: readonly number[], wanted: readonly number[], vectors: readonly Float64Array[],
  residualNorms: readonly number[], counts: { numProducts: number; numMatvecs: number }, restarts: number, returnEigenvectors: boolean,
): EigshResult<D> {
  const ascending = wanted.map((index, i) => ({ value: theta[index], i })).sort((x, y) => x.value - y.value);
  const result: EigshResult<D> = {
    eigenvalues: ascending.map(({ value }) => value),
    residualNorms: ascending.map(({ i }) => residualNorms[i]),
    ...counts,
    restarts,
  };
  if (returnEigenvectors) {
    const n = operator.shape[0];
    const k = ascending.length;
    const out = new Tensor(operator.dtype, [n, k]);
    ascending.forEach(({ i }, column) => vectors[i].forEach((value, row) => (out.data[row * k + column] = value)));
    result.eigenvectors = out;
  }
  return result;
}
