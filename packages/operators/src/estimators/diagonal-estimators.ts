import { Tensor, ValueError, matmul, type FloatDType } from "@curv/tensor";
import type { MatrixLike } from "../algorithm-inputs.js";
import { deflateColumns, exchangeableDeflation } from "./exchangeable-deflation.js";
import { drawProbes, multiplyProbes, setupEstimator, type EstimatorOptions } from "./probes.js";

/**
 * Hutchinson's estimate of `diag A`: `(1/N) Σ vₙ ⊙ A vₙ` (Bekas, Kokiopoulou
 * & Saad 2007), curvlinops' `hutchinson_diag`. The N probes go through one
 * batched `matmat`. Returns a `[n]` tensor in A's dtype.
 *
 * @example
 * ```ts
 * const diagonal = await hutchinsonDiag(ggn, 100, { generator: new Generator(0) }); // ggn: 683 x 683
 * ```
 */
export async function hutchinsonDiag<D extends FloatDType>(a: MatrixLike<D>, numMatvecs: number, options: EstimatorOptions): Promise<Tensor<D>> {
  const { operator, dimension, generator, distribution } = setupEstimator(a, numMatvecs, options, "hutchinsonDiag");
  const probes = drawProbes(generator, dimension, numMatvecs, distribution);
  const product = await multiplyProbes(operator, probes, "hutchinsonDiag");
  const diagonal = new Tensor(operator.dtype, [dimension]);
  for (let i = 0; i < dimension; i++) {
    let sum = 0;
    for (let n = 0; n < numMatvecs; n++) sum += probes.data[i * numMatvecs + n] * product.data[i * numMatvecs + n];
    diagonal.data[i] = sum / numMatvecs;
  }
  return diagonal;
}

/**
 * XDiag estimate of `diag A` (Epperly, Tropp & Webber 2024), curvlinops'
 * `xdiag`: the exact diagonal of A's part in the sketched range
 * `diag(Q Qᵀ A)`, plus exchangeable Hutchinson corrections from the same
 * probes. Rademacher probes only, as curvlinops (the correction divides by
 * `wᵢ²`). `numMatvecs` must be below the dimension and even.
 *
 * Two batched products: `A W` (N/2 columns), then `Aᵀ Q` (one `rmatmat`).
 */
export async function xdiag<D extends FloatDType>(a: MatrixLike<D>, numMatvecs: number, options: Omit<EstimatorOptions, "distribution">): Promise<Tensor<D>> {
  if (options !== null && typeof options === "object" && "distribution" in options && (options as EstimatorOptions).distribution !== "rademacher") {
    // curvlinops' xdiag has no distribution argument; refuse one rather than ignore it.
    const given = JSON.stringify((options as EstimatorOptions).distribution);
    throw new ValueError(`xdiag: probes are Rademacher only; distribution ${given} is not supported`);
  }
  const { operator, dimension, generator } = setupEstimator(a, numMatvecs, { ...options, distribution: "rademacher" }, "xdiag", 2);
  const m = numMatvecs / 2;
  const w = drawProbes(generator, dimension, m, "rademacher");
  const y = await multiplyProbes(operator, w, "xdiag");
  const { q, s } = exchangeableDeflation(y);
  const qtA = (await multiplyProbes(operator, q, "xdiag", { transpose: true })).transpose(); // Qᵀ A, [m, n]
  // diag(Q Qᵀ A) − diag(Q S Sᵀ Qᵀ A) / m: the sketched part, without the probes' own share.
  const qs = matmul(q, s);
  const sqtA = matmul(s.transpose(), qtA);
  // Aᵢ wᵢ − Q (I − sᵢsᵢᵀ) Qᵀ A wᵢ: A wᵢ with the leave-one-out sketch removed.
  const remainder = matmul(q, deflateColumns(matmul(qtA, w), s));
  const diagonal = new Tensor(operator.dtype, [dimension]);
  for (let r = 0; r < dimension; r++) {
    let sketched = 0;
    let leaveOut = 0;
    for (let j = 0; j < m; j++) {
      sketched += q.data[r * m + j] * qtA.data[j * dimension + r];
      leaveOut += qs.data[r * m + j] * sqtA.data[j * dimension + r];
    }
    let correction = 0;
    for (let i = 0; i < m; i++) {
      const wi = w.data[r * m + i];
      correction += (wi * (y.data[r * m + i] - remainder.data[r * m + i])) / (wi * wi);
    }
    diagonal.data[r] = sketched - leaveOut / m + correction / m;
  }
  return diagonal;
}
