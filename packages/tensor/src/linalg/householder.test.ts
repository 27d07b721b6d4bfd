import { describe, expect, it } from "vitest";
import { householderReflector } from "./householder.js";

/** `H x = x - tau v (v^T x)`, applied naively. */
function reflect(v: number[], tau: number, x: number[]): number[] {
  const vx = v.reduce((sum, vi, i) => sum + vi * x[i], 0);
  return x.map((xi, i) => xi - tau * v[i] * vx);
}

describe("householderReflector", () => {
  it.each([
    { name: "3-4-5", x: [3, 4] },
    { name: "negative first entry", x: [-1, 2, -2] },
    { name: "zero first entry", x: [0, 1, 1, 1] },
    { name: "huge entries", x: [1e300, -1e300, 1e300] },
    { name: "tiny entries", x: [1e-300, 2e-300] },
  ])("maps x onto alpha e_1 with |alpha| = ||x||: $name", ({ x }) => {
    const work = new Float64Array(x);
    const { tau, alpha } = householderReflector(work, 0, 1, x.length);
    const v = Array.from(work);
    expect(v[0]).toBe(1);
    const scale = Math.max(...x.map(Math.abs));
    const norm = scale * Math.sqrt(x.reduce((s, xi) => s + (xi / scale) ** 2, 0));
    expect(Math.abs(alpha)).toBeCloseTo(norm, 12 - Math.log10(norm));
    expect(Math.sign(alpha)).toBe(x[0] >= 0 ? -1 : 1);
    const hx = reflect(v, tau, x);
    expect(Math.abs(hx[0] - alpha)).toBeLessThan(1e-15 * norm);
    for (const entry of hx.slice(1)) expect(Math.abs(entry)).toBeLessThan(1e-15 * norm);
    // H is orthogonal: tau = 2 / (v^T v).
    expect(tau * v.reduce((s, vi) => s + vi * vi, 0)).toBeCloseTo(2, 14);
  });

  it("is the identity when x already has the form alpha e_1", () => {
    const work = new Float64Array([-2, 0, 0]);
    expect(householderReflector(work, 0, 1, 3)).toEqual({ tau: 0, alpha: -2 });
    expect(Array.from(work)).toEqual([1, 0, 0]);
  });

  it("reads and writes a strided column", () => {
    // A 3x2 row-major matrix; reflect its second column [4, 0, 3] (offset 1, stride 2).
    const work = new Float64Array([9, 4, 9, 0, 9, 3]);
    const { alpha } = householderReflector(work, 1, 2, 3);
    expect(alpha).toBeCloseTo(-5, 14);
    expect([work[0], work[2], work[4]]).toEqual([9, 9, 9]);
    expect(work[1]).toBe(1);
  });
});
