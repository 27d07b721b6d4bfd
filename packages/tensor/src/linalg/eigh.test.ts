import { describe, expect, it } from "vitest";
import type { FloatDType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { eigh } from "./eigh.js";
import { identity, naiveMatmul, naiveTranspose, randomSymmetric, symmetricWithSpectrum } from "./test-matrices.js";

/** `V diag(w) V^T`, by naive loops. */
function reconstruct(values: Tensor, vectors: Tensor): Tensor<"float64"> {
  const n = values.size;
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = Number(vectors.data[i * n + j]) * Number(values.data[j]);
  return naiveMatmul(new Tensor("float64", [n, n], scaled), naiveTranspose(vectors));
}

/**
 * The checks every decomposition must pass: A = V diag(w) V^T within `atol`
 * (backward error, so it scales with |A|), V^T V = I within 1e-13 n, w ascending.
 */
function expectEigendecomposition(a: Tensor<FloatDType>, atol: number): { eigenvalues: Tensor; eigenvectors: Tensor } {
  const { eigenvalues, eigenvectors } = eigh(a);
  const n = a.shape[0];
  expect(eigenvalues.shape).toEqual([n]);
  expect(eigenvectors.shape).toEqual([n, n]);
  assertAllClose(reconstruct(eigenvalues, eigenvectors), a, { rtol: 0, atol }, "V diag(w) V^T");
  assertAllClose(naiveMatmul(naiveTranspose(eigenvectors), eigenvectors), identity(n), { rtol: 0, atol: 1e-13 * Math.max(n, 1) }, "V^T V");
  const w = eigenvalues.toArray();
  for (let i = 1; i < n; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
  return { eigenvalues, eigenvectors };
}

describe("eigh", () => {
  it.each([
    { name: "1x1", a: tensor([[5]], { dtype: "float64" }) },
    { name: "2x2 random", a: randomSymmetric(2, 4) },
    { name: "3x3 random", a: randomSymmetric(3, 1) },
    { name: "10x10 random", a: randomSymmetric(10, 2) },
    { name: "64x64 random", a: randomSymmetric(64, 3) },
    { name: "zero matrix", a: new Tensor("float64", [4, 4]) },
    { name: "already tridiagonal", a: tensor([[2, 1, 0, 0], [1, 2, 1, 0], [0, 1, 2, 1], [0, 0, 1, 2]], { dtype: "float64" }) },
  ])("decomposes $name (A = V diag(w) V^T, V orthogonal)", ({ a }) => {
    expectEigendecomposition(a, 1e-13 * Math.max(a.shape[0], 1));
  });

  it.each([
    { name: "repeated eigenvalues", spectrum: [1, 1, 1, 2, 2, 5, -3, -3] },
    { name: "one eigenvalue of multiplicity 6", spectrum: [4, 4, 4, 4, 4, 4] },
    { name: "clustered near zero", spectrum: [1e-9, 2e-9, -1e-9, 1, 0] },
    { name: "huge scale", spectrum: [1e200, 2e200, -1e200, 3e200] },
    { name: "tiny scale", spectrum: [1e-200, 2e-200, -1e-200, 3e-200] },
    // Large enough for divide and conquer to merge and deflate (leaves hold at most 32).
    { name: "n = 100, ten eigenvalues of multiplicity 10", spectrum: Array.from({ length: 100 }, (_, i) => (i % 10) - 4.5) },
    { name: "n = 120, clusters 1e-12 wide", spectrum: Array.from({ length: 120 }, (_, i) => Math.floor(i / 4) + 1e-12 * (i % 4)) },
  ])("recovers a known spectrum: $name", ({ spectrum }) => {
    const a = symmetricWithSpectrum(spectrum, 7);
    const scale = Math.max(...spectrum.map(Math.abs));
    const { eigenvalues } = expectEigendecomposition(a, 1e-13 * scale);
    const sorted = [...spectrum].sort((x, y) => x - y);
    assertAllClose(eigenvalues, sorted, { rtol: 0, atol: 1e-14 * scale * spectrum.length }, "eigenvalues");
  });

  it("matches the 2x2 closed form", () => {
    // [[p, b], [b, q]] has eigenvalues (p + q) / 2 -+ sqrt(((p - q) / 2)^2 + b^2).
    const [p, b, q] = [1.5, -0.7, 0.25];
    const radius = Math.hypot((p - q) / 2, b);
    const { eigenvalues, eigenvectors } = eigh(tensor([[p, b], [b, q]], { dtype: "float64" }));
    assertAllClose(eigenvalues, [(p + q) / 2 - radius, (p + q) / 2 + radius], { rtol: 0, atol: 4e-16 * Math.abs(p) });
    // The eigenvector for lambda solves (p - lambda) x + b y = 0: it is parallel to (b, lambda - p).
    for (let j = 0; j < 2; j++) {
      const lambda = eigenvalues.get(j);
      const cross = eigenvectors.get(0, j) * (lambda - p) - eigenvectors.get(1, j) * b;
      expect(Math.abs(cross)).toBeLessThan(1e-15 * Math.abs(p));
    }
  });

  it("returns a diagonal matrix's diagonal, sorted, with unit vectors", () => {
    const diagonal = [3, -1, 2, 0];
    const a = new Tensor("float64", [4, 4]);
    diagonal.forEach((d, i) => (a.data[i * 4 + i] = d));
    const { eigenvalues, eigenvectors } = eigh(a);
    expect(eigenvalues.toArray()).toEqual([-1, 0, 2, 3]);
    const expectedColumnOf = [1, 3, 2, 0]; // where each sorted eigenvalue sat on the diagonal
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 4; i++) expect(Math.abs(eigenvectors.get(i, j))).toBe(i === expectedColumnOf[j] ? 1 : 0);
    }
  });

  it.each([{ uplo: "L" as const }, { uplo: "U" as const }])("reads only the $uplo triangle when asked", ({ uplo }) => {
    const a = randomSymmetric(6, 11);
    const garbled = a.clone();
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) if (uplo === "L" ? j > i : j < i) garbled.data[i * 6 + j] = 100 + i + j;
    }
    const reference = eigh(a);
    const fromTriangle = eigh(garbled, { uplo, symmetryTolerance: Infinity });
    assertAllClose(fromTriangle.eigenvalues, reference.eigenvalues, { rtol: 0, atol: 1e-13 });
  });

  it("accepts float32 input and returns float32 results", () => {
    const a64 = randomSymmetric(12, 5);
    const a32 = a64.astype("float32");
    const { eigenvalues, eigenvectors } = eigh(a32);
    expect(eigenvalues.dtype).toBe("float32");
    expect(eigenvectors.dtype).toBe("float32");
    // Computed in float64 from the rounded input, so only the final rounding to float32 separates the two.
    assertAllClose(eigenvalues, eigh(a32.astype("float64")).eigenvalues, { rtol: 0, atol: 1e-6 });
    assertAllClose(reconstruct(eigenvalues, eigenvectors), a32, { rtol: 0, atol: 1e-5 });
  });

  it("accepts symmetry up to round-off and rejects it beyond the tolerance", () => {
    const a = randomSymmetric(5, 13);
    const nearlySymmetric = a.clone();
    nearlySymmetric.data[1 * 5 + 3] += 1e-12;
    expect(() => eigh(nearlySymmetric)).not.toThrow();
    const asymmetric = a.clone();
    asymmetric.data[1 * 5 + 3] += 1e-3;
    expect(() => eigh(asymmetric)).toThrow(ValueError);
    expect(() => eigh(asymmetric)).toThrow(/not symmetric: a\[1, 3\]/);
    expect(() => eigh(asymmetric, { symmetryTolerance: 1e-2 })).not.toThrow();
  });

  it.each([
    { name: "a non-square matrix", a: new Tensor("float64", [2, 3]), error: ShapeError, message: /must be square, got shape \[2, 3\]/ },
    { name: "a vector", a: new Tensor("float64", [3]), error: ShapeError, message: /2-D matrix, got shape \[3\]/ },
    { name: "a batch of matrices", a: new Tensor("float64", [2, 3, 3]), error: ShapeError, message: /2-D matrix/ },
    { name: "an int32 matrix", a: new Tensor("int32", [2, 2]), error: DTypeError, message: /float32 or float64, got int32/ },
    { name: "NaN", a: tensor([[1, 2], [NaN, 1]], { dtype: "float64" }), error: ValueError, message: /contains NaN at \[1, 0\]/ },
    { name: "Infinity", a: tensor([[Infinity]], { dtype: "float64" }), error: ValueError, message: /contains Infinity at \[0, 0\]/ },
  ])("rejects $name", ({ a, error, message }) => {
    expect(() => eigh(a as Tensor<"float64">)).toThrow(error);
    expect(() => eigh(a as Tensor<"float64">)).toThrow(message);
  });

  it("rejects a bad uplo or tolerance", () => {
    const a = randomSymmetric(2, 1);
    expect(() => eigh(a, { uplo: "X" as "L" })).toThrow(ValueError);
    expect(() => eigh(a, { symmetryTolerance: -1 })).toThrow(/symmetryTolerance/);
  });
});
