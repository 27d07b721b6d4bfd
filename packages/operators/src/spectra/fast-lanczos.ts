import { Tensor, eigh, type Generator } from "@curv/tensor";
import { multiplyColumns } from "../algorithm-inputs.js";
import type { LinearOperator } from "../linear-operator.js";

/** A Lanczos quadrature: the nodes (Ritz values) and weights (squared first components of the Ritz vectors). */
export interface LanczosQuadrature {
  nodes: number[];
  weights: number[];
}

/**
 * `ncv` Lanczos steps from a normal random start, without
 * reorthogonalization (Papyan 2020, Algorithm 2; curvlinops' `fast_lanczos`),
 * and the eigendecomposition of the tridiagonal matrix. The weights sum to 1:
 * the quadrature approximates `vᵀ f(A) v` for the unit start vector v, whose
 * expectation is `tr f(A) / n`. If the Krylov space becomes invariant early
 * (`β = 0`, where curvlinops would divide by zero), the quadrature is exact
 * with fewer nodes.
 */
export async function fastLanczos(operator: LinearOperator, ncv: number, generator: Generator, who: string): Promise<LanczosQuadrature> {
  const n = operator.shape[0];
  const alphas: number[] = [];
  const betas: number[] = [];
  let v = Float64Array.from(generator.normal([n], { dtype: "float64" }).data);
  const length = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  v = v.map((x) => x / length);
  let previous = new Float64Array(n);
  for (let step = 0; step < ncv; step++) {
    const w = await multiplyColumns(operator, v, 1, who, `the product of A at Lanczos step ${step + 1}`);
    const beta = step === 0 ? 0 : betas[step - 1];
    let alpha = 0;
    for (let i = 0; i < n; i++) {
      w[i] -= beta * previous[i];
      alpha += w[i] * v[i];
    }
    alphas.push(alpha);
    if (step === ncv - 1) break;
    for (let i = 0; i < n; i++) w[i] -= alpha * v[i];
    const next = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    if (!(next > 1e-14 * Math.max(...alphas.map(Math.abs)))) break;
    betas.push(next);
    previous = v;
    v = w.map((x) => x / next);
  }
  const m = alphas.length;
  const t = new Tensor("float64", [m, m]);
  for (let i = 0; i < m; i++) {
    t.data[i * m + i] = alphas[i];
    if (i + 1 < m) {
      t.data[i * m + i + 1] = betas[i];
      t.data[(i + 1) * m + i] = betas[i];
    }
  }
  const { eigenvalues, eigenvectors } = eigh(t);
  return { nodes: eigenvalues.toArray(), weights: Array.from({ length: m }, (_, j) => eigenvectors.data[j] ** 2) };
}
