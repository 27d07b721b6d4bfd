import { describe, expect, it } from "vitest";
import { loewnerWeights, secularRoot } from "./secular-equation.js";

/** The roots of `1 + rho sum w_j^2 / (d_j - lambda)` and the `k x k` matrix of `d_j - lambda_i`. */
function allRoots(d: number[], w: number[], rho: number): { roots: number[]; differences: Float64Array } {
  const k = d.length;
  const poles = Float64Array.from(d);
  const weights = Float64Array.from(w);
  const differences = new Float64Array(k * k);
  const roots = d.map((_, i) => {
    const { origin, tau } = secularRoot(poles, weights, rho, i, differences.subarray(i * k, (i + 1) * k));
    return poles[origin] + tau;
  });
  return { roots, differences };
}

describe("secularRoot", () => {
  it("matches the 2x2 closed form of D + rho w w^T", () => {
    // [[d0 + rho w0^2, rho w0 w1], [rho w0 w1, d1 + rho w1^2]], eigenvalues by the quadratic formula.
    const [d0, d1, w0, w1, rho] = [0.25, 1, 0.6, 0.8, 1.5];
    const p = d0 + rho * w0 * w0;
    const q = d1 + rho * w1 * w1;
    const radius = Math.hypot((p - q) / 2, rho * w0 * w1);
    const { roots } = allRoots([d0, d1], [w0, w1], rho);
    expect(Math.abs(roots[0] - ((p + q) / 2 - radius))).toBeLessThan(4e-16);
    expect(Math.abs(roots[1] - ((p + q) / 2 + radius))).toBeLessThan(4e-16);
  });

  it.each([
    { name: "spread poles", d: [0, 1, 2, 3, 4], w: [0.5, 0.5, 0.5, 0.4, 0.3], rho: 2 },
    { name: "poles 1e-10 apart", d: [0, 1e-10, 2e-10, 1, 1 + 1e-12], w: [0.3, 0.5, 0.4, 0.6, 0.2], rho: 1 },
    { name: "a tiny weight", d: [-1, 0, 1], w: [0.7, 1e-7, 0.7], rho: 0.5 },
  ])("interlaces and zeroes f for $name", ({ d, w, rho }) => {
    const { roots, differences } = allRoots(d, w, rho);
    const k = d.length;
    for (let i = 0; i < k; i++) {
      expect(roots[i]).toBeGreaterThan(d[i]);
      if (i + 1 < k) expect(roots[i]).toBeLessThan(d[i + 1]);
      let f = 1;
      let absolute = 1;
      for (let j = 0; j < k; j++) {
        f += (rho * w[j] * w[j]) / differences[i * k + j];
        absolute += Math.abs((rho * w[j] * w[j]) / differences[i * k + j]);
      }
      expect(Math.abs(f)).toBeLessThan(1e-14 * k * absolute);
    }
  });
});

describe("loewnerWeights", () => {
  it("recovers the weights from exact roots, up to the factor sqrt(rho)", () => {
    const d = [0, 1, 2.5, 4];
    const w = [0.4, -0.5, 0.6, 0.3];
    const rho = 1.25;
    const { differences } = allRoots(d, w, rho);
    const recovered = loewnerWeights(Float64Array.from(d), Float64Array.from(w), differences);
    // Lowner: rho w_j^2 = prod_i (lambda_i - d_j) / prod_{i != j} (d_i - d_j), which the helper returns without rho.
    recovered.forEach((value, j) => expect(Math.abs(value / Math.sqrt(rho) - w[j])).toBeLessThan(1e-14));
  });
});
