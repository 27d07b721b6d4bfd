import { Generator, ShapeError, ValueError, tensor, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "../dense-linear-operator.js";
import { CountingLinearOperator, symmetricWithSpectrum } from "../testing/spectral-matrices.js";
import {
  LanczosApproximateLogSpectrumCached, LanczosApproximateSpectrumCached, lanczosApproximateLogSpectrum, lanczosApproximateSpectrum,
} from "./lanczos-spectrum.js";

/** `∫ p` over `[from, to]` by the trapezoidal rule on the grid. */
function mass(grid: Tensor, density: Tensor, from = -Infinity, to = Infinity): number {
  const x = grid.toArray();
  const p = density.toArray();
  let total = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const mid = (x[i] + x[i + 1]) / 2;
    if (mid >= from && mid <= to) total += ((p[i] + p[i + 1]) / 2) * (x[i + 1] - x[i]);
  }
  return total;
}

describe("lanczosApproximateSpectrum on a matrix with known eigenvalues", () => {
  // 400 eigenvalues near 1 and 100 near 10 (Papyan's Fig. 15 has such outliers).
  const n = 500;
  const g = new Generator(0);
  const spectrum = Array.from({ length: n }, (_, i) => (i < 400 ? 0.9 + 0.2 * g.nextDouble() : 9.5 + g.nextDouble()));
  const { matrix } = symmetricWithSpectrum(spectrum, new Generator(1));

  it("puts 80% of the mass near 1, 20% near 10, nothing between; integrates to 1; boundaries from eigsh", async () => {
    const { grid, density } = await lanczosApproximateSpectrum(matrix, 40, { numRepeats: 10, generator: new Generator(2) });
    expect(grid.shape).toEqual([1024]);
    const [low, high] = [Math.min(...spectrum), Math.max(...spectrum)];
    const pad = 0.05 * (high - low);
    expect(grid.get(0)).toBeCloseTo(low - pad, 1);
    expect(grid.get(1023)).toBeCloseTo(high + pad, 1);
    expect(mass(grid, density)).toBeCloseTo(1, 2);
    expect(mass(grid, density, 0, 2)).toBeGreaterThan(0.75);
    expect(mass(grid, density, 0, 2)).toBeLessThan(0.85);
    expect(mass(grid, density, 9, 11.5)).toBeGreaterThan(0.15);
    expect(mass(grid, density, 9, 11.5)).toBeLessThan(0.25);
    expect(mass(grid, density, 3, 8)).toBeLessThan(0.01);
  });

  it("the cached variant reuses its Lanczos runs and equals the function for the same seed", async () => {
    const counted = new CountingLinearOperator(new DenseLinearOperator(matrix));
    const cached = new LanczosApproximateSpectrumCached(counted, 30, { boundaries: [0.9, 10.5], generator: new Generator(3) });
    const first = await cached.approximateSpectrum({ numRepeats: 3 });
    const products = counted.products;
    expect(products).toBe(90);
    const sharper = await cached.approximateSpectrum({ numRepeats: 3, kappa: 1.5, numPoints: 200 });
    expect(counted.products).toBe(products);
    expect(sharper.grid.shape).toEqual([200]);
    const direct = await lanczosApproximateSpectrum(matrix, 30, { numRepeats: 3, boundaries: [0.9, 10.5], generator: new Generator(3) });
    expect(direct.density.toArray()).toEqual(first.density.toArray());
  });

  it("rejects bad arguments by name", async () => {
    await expect(lanczosApproximateSpectrum(matrix, 1)).rejects.toThrow(/lanczosApproximateSpectrum: ncv must be an integer in \[2, 500\], got 1/);
    await expect(lanczosApproximateSpectrum(matrix, 10, { kappa: 1 })).rejects.toThrow(/kappa must be a finite number > 1/);
    await expect(lanczosApproximateSpectrum(matrix, 10, { boundaries: [2, 1] })).rejects.toThrow(/boundaries must satisfy min < max/);
    await expect(lanczosApproximateSpectrum(tensor([[1, 2, 3]], { dtype: "float64" }), 2)).rejects.toBeInstanceOf(ShapeError);
    await expect(lanczosApproximateSpectrum(matrix, 10, { numRepeats: 0 })).rejects.toBeInstanceOf(ValueError);
    expect(() => new LanczosApproximateSpectrumCached(matrix, 0)).toThrow(/LanczosApproximateSpectrumCached: ncv/);
  });
});

describe("lanczosApproximateLogSpectrum on a matrix with eigenvalues over decades", () => {
  // 300 eigenvalues near 1e-4 (of both signs: the log spectrum is that of |A|), 100 near 1e2.
  const n = 400;
  const g = new Generator(4);
  const spectrum = Array.from({ length: n }, (_, i) => (i < 300 ? (i % 2 ? 1 : -1) * 1e-4 * (1 + g.nextDouble()) : 1e2 * (1 + g.nextDouble())));
  const { matrix } = symmetricWithSpectrum(spectrum, new Generator(5));

  it("puts 75% of the mass within a decade of 1e-4 and 25% near 1e2 on a log-spaced grid", async () => {
    const { grid, density } = await lanczosApproximateLogSpectrum(matrix, 60, {
      numRepeats: 10, boundaries: [1e-4, 2e2], generator: new Generator(6), epsilon: 1e-8,
    });
    expect(grid.get(1) / grid.get(0)).toBeCloseTo(grid.get(1023) / grid.get(1022), 8);
    expect(mass(grid, density)).toBeCloseTo(1, 1);
    expect(mass(grid, density, 1e-5, 1e-3)).toBeGreaterThan(0.65);
    expect(mass(grid, density, 1e-5, 1e-3)).toBeLessThan(0.85);
    expect(mass(grid, density, 10, 1e3)).toBeGreaterThan(0.15);
    expect(mass(grid, density, 10, 1e3)).toBeLessThan(0.35);
  });

  it("estimates the boundaries of |A| with eigsh (LM and SM) when not given", async () => {
    const small = symmetricWithSpectrum([-5, 0.5, 1, 2, 3, ...Array.from({ length: 35 }, (_, i) => 1 + i / 10)], new Generator(7));
    const cached = new LanczosApproximateLogSpectrumCached(small.matrix, 10, { boundariesTol: 1e-8 });
    const [min, max] = await cached.spectrumBoundaries();
    expect(min).toBeCloseTo(0.5, 6);
    expect(max).toBeCloseTo(5, 6);
    const { density } = await cached.approximateLogSpectrum({ numPoints: 64 });
    expect(density.toArray().every(Number.isFinite)).toBe(true);
    await expect(cached.approximateLogSpectrum({ epsilon: 0 })).rejects.toThrow(/epsilon must be a finite number > 0/);
  });
});
