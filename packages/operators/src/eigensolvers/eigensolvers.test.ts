import { Generator, LinAlgError, ShapeError, ValueError, tensor, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "../dense-linear-operator.js";
import { CountingLinearOperator, symmetricWithSpectrum } from "../testing/spectral-matrices.js";
import { eigsh, preferenceOrder, type EigshWhich } from "./eigsh.js";
import { powerIteration } from "./power-iteration.js";

/** |cos| of the angle between column `column` of `vectors` and column `reference` of `basis`. */
function alignment(vectors: Tensor<"float64">, column: number, basis: Tensor<"float64">, reference: number): number {
  const [n, k] = vectors.shape;
  const m = basis.shape[1];
  let d = 0;
  for (let i = 0; i < n; i++) d += vectors.data[i * k + column] * basis.data[i * m + reference];
  return Math.abs(d);
}

describe("eigsh on matrices with known spectra", () => {
  const n = 200;
  // Well-separated ends, a bulk in between, negative and positive eigenvalues.
  const spectrum = Array.from({ length: n }, (_, i) => (i < 5 ? 50 - 7 * i : i >= n - 5 ? -30 + 4 * (n - 1 - i) : Math.sin(i)));
  const sorted = [...spectrum].sort((x, y) => x - y);
  const { matrix, eigenvectors } = symmetricWithSpectrum(spectrum, new Generator(1));
  const operator = new DenseLinearOperator(matrix);

  const expected: Record<EigshWhich, number[]> = {
    LA: sorted.slice(-5),
    SA: sorted.slice(0, 5),
    LM: [...spectrum].sort((x, y) => Math.abs(y) - Math.abs(x)).slice(0, 5).sort((x, y) => x - y),
    BE: [...sorted.slice(0, 2), ...sorted.slice(-3)],
    SM: [],
  };

  it.each(["LA", "SA", "LM", "BE"] as const)("which = %s: eigenvalues to 1e-10 relative, eigenvectors aligned, residuals small", async (which) => {
    const result = await eigsh(operator, { k: 5, which });
    const scale = Math.max(...spectrum.map(Math.abs));
    result.eigenvalues.forEach((value, i) => expect(Math.abs(value - expected[which][i]) / scale).toBeLessThan(1e-10));
    result.eigenvalues.forEach((value, i) => {
      const reference = spectrum.findIndex((v) => Math.abs(v - value) < 1e-8);
      expect(alignment(result.eigenvectors!, i, eigenvectors, reference)).toBeGreaterThan(1 - 1e-10);
    });
    result.residualNorms.forEach((r) => expect(r).toBeLessThan(1e-10 * scale));
  });

  it("SM finds the smallest magnitudes (slowly, as ARPACK without shift-invert)", async () => {
    const small = symmetricWithSpectrum(Array.from({ length: 60 }, (_, i) => (i + 1) * (i % 2 === 0 ? 1 : -1)), new Generator(2));
    const result = await eigsh(small.matrix, { k: 2, which: "SM", maxIter: 2000 });
    expect(result.eigenvalues.map((v) => Math.round(v * 1e8) / 1e8)).toEqual([-2, 1]);
  });

  it("products are blocks through matmat; the seed repeats results", async () => {
    const counted = new CountingLinearOperator(operator);
    const result = await eigsh(counted, { k: 4, which: "LA", blockSize: 4, generator: new Generator(3) });
    expect(counted.columns).toBe(result.numMatvecs);
    expect(counted.products).toBe(result.numProducts);
    expect(result.numMatvecs / result.numProducts).toBeGreaterThanOrEqual(3);
    const again = await eigsh(operator, { k: 4, which: "LA", blockSize: 4, generator: new Generator(3) });
    expect(again.eigenvalues).toEqual(result.eigenvalues);
  });

  it("finds an eigenvalue of multiplicity 3 three times, and the whole spectrum of a small matrix", async () => {
    const repeated = symmetricWithSpectrum([9, 9, 9, 5, ...Array.from({ length: 96 }, (_, i) => i / 96)], new Generator(4));
    const result = await eigsh(repeated.matrix, { k: 4, which: "LA" });
    result.eigenvalues.forEach((v, i) => expect(v).toBeCloseTo([5, 9, 9, 9][i], 10));
    const tiny = symmetricWithSpectrum([3, 1, 2, 4, 0], new Generator(5));
    const all = await eigsh(tiny.matrix, { k: 4, which: "LA" });
    all.eigenvalues.forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3, 4][i], 12));
  });

  it("ranks Ritz values for each `which`", () => {
    const theta = [-5, -1, 0.5, 2, 4];
    expect(preferenceOrder(theta, "LA", 2).slice(0, 2)).toEqual([4, 3]);
    expect(preferenceOrder(theta, "SA", 2).slice(0, 2)).toEqual([0, 1]);
    expect(preferenceOrder(theta, "LM", 2).slice(0, 2)).toEqual([0, 4]);
    expect(preferenceOrder(theta, "SM", 2).slice(0, 2)).toEqual([2, 1]);
    expect(preferenceOrder(theta, "BE", 3)).toEqual([4, 3, 0, 1, 2]);
  });

  const nonSymmetric = new Generator(6).normal([30, 30], { dtype: "float64" });
  const errors: [string, () => Promise<unknown>, RegExp, typeof ValueError | typeof ShapeError | typeof LinAlgError][] = [
    ["non-square", () => eigsh(tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" })), /eigsh: A must be square, got shape \[2, 3\]/, ShapeError],
    ["k = n", () => eigsh(operator, { k: n }), /eigsh: k must be an integer in \[1, 199\], got 200/, ValueError],
    ["which", () => eigsh(operator, { which: "XX" as EigshWhich }), /which must be one of/, ValueError],
    ["ncv <= k", () => eigsh(operator, { k: 5, ncv: 5 }), /ncv must be an integer in \[6, 200\]/, ValueError],
    ["non-symmetric", () => eigsh(nonSymmetric, { k: 2 }), /eigsh: A must be symmetric, but its projection/, ValueError],
    ["NaN", () => eigsh(tensor([[1, NaN, 0], [NaN, 1, 0], [0, 0, 1]], { dtype: "float64" }), { k: 1 }), /eigsh: the product of A .* NaN/, ValueError],
    ["no convergence", () => eigsh(operator, { k: 5, which: "SM", maxIter: 1, tol: 1e-14 }), /did not converge within maxIter = 1 restarts/, LinAlgError],
  ];
  it.each(errors)("error: %s", async (_, call, message, type) => {
    await expect(call()).rejects.toThrow(message);
    await expect(call()).rejects.toBeInstanceOf(type);
  });
});

describe("powerIteration", () => {
  it("finds the top eigenpairs by magnitude with many more matvecs than eigsh", async () => {
    const spectrum = [10, -8, 3, ...Array.from({ length: 47 }, (_, i) => i / 47)];
    const { matrix } = symmetricWithSpectrum(spectrum, new Generator(7));
    const power = await powerIteration(matrix, { k: 2, tol: 1e-12, maxIter: 5000 });
    expect(power.eigenvalues[0]).toBeCloseTo(10, 8);
    expect(power.eigenvalues[1]).toBeCloseTo(-8, 8);
    expect(power.converged).toEqual([true, true]);
    const krylov = await eigsh(matrix, { k: 2, which: "LM", tol: 1e-12 });
    expect(krylov.numMatvecs).toBeLessThan(power.numMatvecs);
    await expect(powerIteration(matrix, { k: 0 })).rejects.toThrow(/powerIteration: k must be an integer/);
  });
});
