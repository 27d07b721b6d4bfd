import { describe, expect, it } from "vitest";
import { lcg } from "./test-matrices.js";
import { tridiagonalEigenDivideConquer } from "./tridiagonal-divide-conquer.js";
import { tridiagonalEigen } from "./tridiagonal-eigen.js";

interface Tridiagonal {
  diagonal: number[];
  offDiagonal: number[];
}

function random(n: number, seed: number): Tridiagonal {
  const next = lcg(seed);
  return { diagonal: Array.from({ length: n }, next), offDiagonal: Array.from({ length: n - 1 }, next) };
}

/** `blocks` copies of Wilkinson's W21+ glued by off-diagonals `glue`: pairs of eigenvalues agree to many digits. */
function gluedWilkinson(blocks: number, glue: number): Tridiagonal {
  const diagonal: number[] = [];
  const offDiagonal: number[] = [];
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 21; i++) diagonal.push(Math.abs(10 - i));
    for (let i = 0; i < 20; i++) offDiagonal.push(1);
    if (b < blocks - 1) offDiagonal.push(glue);
  }
  return { diagonal, offDiagonal };
}

/** `T U - U diag(w)`, largest entry, with `T` applied from its bands. */
function residual({ diagonal, offDiagonal }: Tridiagonal, w: Float64Array, u: Float64Array): number {
  const n = diagonal.length;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let tu = diagonal[i] * u[i * n + j];
      if (i > 0) tu += offDiagonal[i - 1] * u[(i - 1) * n + j];
      if (i < n - 1) tu += offDiagonal[i] * u[(i + 1) * n + j];
      worst = Math.max(worst, Math.abs(tu - w[j] * u[i * n + j]));
    }
  }
  return worst;
}

/** `U^T U - I`, largest entry. */
function orthogonalityError(u: Float64Array, n: number): number {
  let worst = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i * n + a] * u[i * n + b];
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

/**
 * Eigenvalues by the implicit QR path, sorted: the reference the new solver
 * must match. Graded matrices are passed to it reversed (same spectrum),
 * since QR chasing from the top with a shift from the bottom does not
 * converge on a matrix whose entries shrink downward (LAPACK's `dsteqr`
 * switches to QL there; ours does not).
 */
function qrEigenvalues({ diagonal, offDiagonal }: Tridiagonal, reversed: boolean): Float64Array {
  const values = Float64Array.from(reversed ? [...diagonal].reverse() : diagonal);
  tridiagonalEigen(values, Float64Array.from(reversed ? [...offDiagonal].reverse() : offDiagonal));
  return values.sort();
}

/** Entries `10^(-i / decadeLength)` down the diagonal and off-diagonal. */
function graded(n: number, decadeLength: number): Tridiagonal {
  return {
    diagonal: Array.from({ length: n }, (_, i) => 10 ** (-i / decadeLength)),
    offDiagonal: Array.from({ length: n - 1 }, (_, i) => 10 ** (-(i + 0.5) / decadeLength)),
  };
}

describe("tridiagonalEigenDivideConquer", () => {
  it.each([
    { name: "n = 1", matrix: { diagonal: [-3], offDiagonal: [] } },
    { name: "n = 2", matrix: random(2, 1) },
    { name: "random n = 33 (one tear)", matrix: random(33, 2) },
    { name: "random n = 64", matrix: random(64, 3) },
    { name: "random n = 100", matrix: random(100, 4) },
    { name: "random n = 257", matrix: random(257, 5) },
    { name: "identity n = 100 (everything deflates)", matrix: { diagonal: Array(100).fill(1), offDiagonal: Array(99).fill(0) } },
    { name: "block repeats n = 257", matrix: { diagonal: Array.from({ length: 257 }, (_, i) => i % 3), offDiagonal: Array(256).fill(0) } },
    { name: "repeated blocks [[2,1],[1,2]] n = 100", matrix: { diagonal: Array(100).fill(2), offDiagonal: Array.from({ length: 99 }, (_, i) => (i % 2 === 0 ? 1 : 0)) } },
    { name: "glued Wilkinson, glue 1e-14", matrix: gluedWilkinson(13, 1e-14) },
    { name: "glued Wilkinson, glue 1e-6", matrix: gluedWilkinson(5, 1e-6) },
    {
      name: "tiny off-diagonals n = 257",
      matrix: { diagonal: random(257, 6).diagonal, offDiagonal: random(257, 7).offDiagonal.map((e, i) => (i % 5 === 0 ? 1e-18 : 1e-9 * e)) },
    },
    { name: "graded n = 257, 16 entries a decade", matrix: graded(257, 16), reversed: true },
    { name: "graded n = 100, 4 entries a decade", matrix: graded(100, 4), reversed: true },
  ])("decomposes $name: T = U diag(w) U^T, U orthogonal, w as QR finds it", ({ matrix, reversed = false }) => {
    const n = matrix.diagonal.length;
    const values = Float64Array.from(matrix.diagonal);
    const vectors = tridiagonalEigenDivideConquer(values, Float64Array.from(matrix.offDiagonal));
    const scale = Math.max(...matrix.diagonal.map(Math.abs), ...matrix.offDiagonal.map(Math.abs));
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    expect(residual(matrix, values, vectors)).toBeLessThan(1e-13 * n * scale);
    expect(orthogonalityError(vectors, n)).toBeLessThan(1e-13 * n);
    const reference = qrEigenvalues(matrix, reversed);
    for (let i = 0; i < n; i++) expect(Math.abs(values[i] - reference[i])).toBeLessThan(1e-13 * n * scale);
  });

  it("matches the closed-form spectrum of the [-1, 2, -1] matrix", () => {
    // Eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n (Golub & Van Loan section 4.8.3).
    const n = 200;
    const values = new Float64Array(n).fill(2);
    tridiagonalEigenDivideConquer(values, new Float64Array(n - 1).fill(-1));
    for (let k = 1; k <= n; k++) expect(Math.abs(values[k - 1] - (2 - 2 * Math.cos((k * Math.PI) / (n + 1))))).toBeLessThan(1e-13);
  });

  it("returns an empty matrix for n = 0", () => {
    expect(tridiagonalEigenDivideConquer(new Float64Array(0), new Float64Array(0))).toHaveLength(0);
  });
});
