import { concat, matmul, qr, type FloatDType } from "@curv/tensor";
import type { MatrixLike } from "../algorithm-inputs.js";
import { deflateColumns, exchangeableDeflation, projectOut, subtract } from "./exchangeable-deflation.js";
import { drawProbes, frobeniusInner, multiplyProbes, setupEstimator, type EstimatorOptions } from "./probes.js";

/**
 * Girard-Hutchinson estimate of `tr A`: `(1/N) Σ vₙᵀ A vₙ` over N random
 * probes with `E[v vᵀ] = I` (Girard 1989; Hutchinson 1989), curvlinops'
 * `hutchinson_trace`. The N probes go through one batched `matmat`.
 *
 * `numMatvecs` must be below the dimension (else compute the exact trace at
 * the same cost). Unbiased; its variance is `2 ‖A‖_F²/N` for a symmetric A
 * with Gaussian probes (less off the diagonal with Rademacher probes).
 *
 * @example
 * ```ts
 * const g = new Generator(0);
 * const a = g.uniform([10, 10], { dtype: "float64" });
 * await hutchinsonTrace(a, 9, { generator: g });                          // ≈ tr(a)
 * await hutchinsonTrace(ggn, 30, { generator: g, distribution: "normal" }); // any square operator
 * ```
 */
export async function hutchinsonTrace<D extends FloatDType>(a: MatrixLike<D>, numMatvecs: number, options: EstimatorOptions): Promise<number> {
  const { operator, dimension, generator, distribution } = setupEstimator(a, numMatvecs, options, "hutchinsonTrace");
  const probes = drawProbes(generator, dimension, numMatvecs, distribution);
  return frobeniusInner(probes, await multiplyProbes(operator, probes, "hutchinsonTrace")) / numMatvecs;
}

/**
 * Hutch++ estimate of `tr A` (Meyer, Musco, Musco & Woodruff 2020),
 * curvlinops' `hutchpp_trace`: a third of the budget sketches the range of A
 * (`Q = orth(A S)`), whose trace `tr(QᵀAQ)` is taken exactly, and Hutchinson
 * covers the rest, `(I − QQᵀ) A (I − QQᵀ)`. Unbiased, and far more accurate
 * than Hutchinson when A's spectrum decays.
 *
 * `numMatvecs` must be below the dimension and divisible by 3. Two batched
 * products: `A S` (N columns), then `A [Q, (I − QQᵀ) G]` (2N columns).
 */
export async function hutchppTrace<D extends FloatDType>(a: MatrixLike<D>, numMatvecs: number, options: EstimatorOptions): Promise<number> {
  const { operator, dimension, generator, distribution } = setupEstimator(a, numMatvecs, options, "hutchppTrace", 3);
  const n = numMatvecs / 3;
  const sketch = drawProbes(generator, dimension, n, distribution);
  const { q } = qr(await multiplyProbes(operator, sketch, "hutchppTrace"));
  const g = drawProbes(generator, dimension, n, distribution);
  const projected = projectOut(q, g);
  const product = await multiplyProbes(operator, concat([q, projected], 1), "hutchppTrace");
  const aq = product.slice(null, [0, n]);
  const aProjected = projectOut(q, product.slice(null, [n, 2 * n]));
  return frobeniusInner(q, aq) + frobeniusInner(g, aProjected) / n;
}

/**
 * XTrace estimate of `tr A` (Epperly, Tropp & Webber 2024), curvlinops'
 * `xtrace`: Hutch++ made exchangeable, so every probe serves both as a
 * sketch of the range and as a Hutchinson probe of the remainder (the
 * average of N leave-one-out Hutch++ estimates, computed in closed form).
 *
 * `numMatvecs` must be below the dimension and even. Two batched products:
 * `A W` (N/2 columns), then `A Q`.
 */
export async function xtrace<D extends FloatDType>(a: MatrixLike<D>, numMatvecs: number, options: EstimatorOptions): Promise<number> {
  const { operator, dimension, generator, distribution } = setupEstimator(a, numMatvecs, options, "xtrace", 2);
  const m = numMatvecs / 2;
  const w = drawProbes(generator, dimension, m, distribution);
  const y = await multiplyProbes(operator, w, "xtrace");
  const { q, s } = exchangeableDeflation(y);
  const z = await multiplyProbes(operator, q, "xtrace");
  const qtz = matmul(q.transpose(), z);
  const full = frobeniusInner(q, z);
  // A (I − Q_i Q_iᵀ) wᵢ and its projection, where Q_i spans the sketch without probe i.
  const aPw = subtract(y, matmul(z, deflateColumns(matmul(q.transpose(), w), s)));
  const paPw = subtract(aPw, matmul(q, deflateColumns(matmul(q.transpose(), aPw), s)));
  let total = 0;
  for (let i = 0; i < m; i++) {
    let leaveOut = 0;
    for (let j = 0; j < m; j++) for (let l = 0; l < m; l++) leaveOut += s.get(j, i) * qtz.get(j, l) * s.get(l, i);
    let remainder = 0;
    for (let r = 0; r < dimension; r++) remainder += w.get(r, i) * paPw.get(r, i);
    total += full - leaveOut + remainder;
  }
  return total / m;
}
