import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { eigh } from "./eigh.js";
import { svd } from "./svd.js";
import { identity, naiveMatmul, naiveTranspose, randomMatrix } from "./test-matrices.js";

/** A random m x n matrix of rank `rank` (product of m x rank and rank x n factors). */
function lowRank(m: number, n: number, rank: number): Tensor<"float64"> {
  return naiveMatmul(randomMatrix(m, rank, 41), randomMatrix(rank, n, 42));
}

/** `U[:, :k] diag(s) V^T[:k, :]`, by naive loops. */
function reconstruct(u: Tensor, s: Tensor, vt: Tensor): Tensor<"float64"> {
  const [m, uCols] = u.shape;
  const k = s.size;
  const n = vt.shape[1];
  const us = new Tensor("float64", [m, k]);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = Number(u.data[i * uCols + j]) * Number(s.data[j]);
  return naiveMatmul(us, vt.slice([0, k], null).reshape([k, n]));
}

describe("svd", () => {
  it.each([
    { name: "1x1", a: tensor([[-2]], { dtype: "float64" }) },
    { name: "2x2", a: randomMatrix(2, 2, 1) },
    { name: "5x5", a: randomMatrix(5, 5, 2) },
    { name: "tall 9x4", a: randomMatrix(9, 4, 3) },
    { name: "wide 4x9", a: randomMatrix(4, 9, 4) },
    { name: "40x40", a: randomMatrix(40, 40, 5) },
    { name: "rank 2, 6x5", a: lowRank(6, 5, 2) },
    { name: "rank 1, wide 3x7", a: lowRank(3, 7, 1) },
    { name: "zero 3x3", a: new Tensor("float64", [3, 3]) },
    { name: "empty 3x0", a: new Tensor("float64", [3, 0]) },
  ])("U diag(s) V^T = A with orthonormal U, V and descending s: $name", ({ a }) => {
    const [m, n] = a.shape;
    const k = Math.min(m, n);
    for (const fullMatrices of [false, true]) {
      const { u, s, vt } = svd(a, { fullMatrices });
      const uCols = fullMatrices ? m : k;
      const vtRows = fullMatrices ? n : k;
      expect([u.shape, s.shape, vt.shape]).toEqual([[m, uCols], [k], [vtRows, n]]);
      const atol = 1e-14 * Math.max(m, n, 1);
      assertAllClose(reconstruct(u, s, vt), a, { rtol: 0, atol }, `U diag(s) V^T (fullMatrices ${fullMatrices})`);
      assertAllClose(naiveMatmul(naiveTranspose(u), u), identity(uCols), { rtol: 0, atol }, "U^T U");
      assertAllClose(naiveMatmul(vt, naiveTranspose(vt)), identity(vtRows), { rtol: 0, atol }, "V^T V");
      const values = s.toArray();
      for (let i = 0; i < k; i++) {
        expect(values[i]).toBeGreaterThanOrEqual(0);
        if (i > 0) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
      }
    }
  });

  it.each([
    { name: "tall", a: randomMatrix(7, 5, 9) },
    { name: "wide", a: randomMatrix(4, 6, 10) },
  ])("singular values are the square roots of the eigenvalues of A^T A or A A^T: $name", ({ a }) => {
    const [m, n] = a.shape;
    const gram = m >= n ? naiveMatmul(naiveTranspose(a), a) : naiveMatmul(a, naiveTranspose(a));
    const expected = eigh(gram).eigenvalues.toArray().reverse().map(Math.sqrt);
    assertAllClose(svd(a).s, expected, { rtol: 1e-12, atol: 1e-14 });
  });

  it("matches the closed form of [[3, 0], [4, 5]]: s = [3 sqrt 5, sqrt 5]", () => {
    // A^T A = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
    assertAllClose(svd(tensor([[3, 0], [4, 5]], { dtype: "float64" })).s, [3 * Math.sqrt(5), Math.sqrt(5)], { rtol: 1e-15, atol: 0 });
  });

  it("returns |d| sorted for a diagonal matrix, and small singular values to high relative accuracy", () => {
    const a = new Tensor("float64", [4, 4]);
    [-3, 1e-12, 2, -1e-9].forEach((d, i) => (a.data[i * 4 + i] = d));
    assertAllClose(svd(a).s, [3, 2, 1e-9, 1e-12], { rtol: 1e-15, atol: 0 });
  });

  it("keeps float32", () => {
    const a = randomMatrix(6, 4, 12).astype("float32");
    const { u, s, vt } = svd(a);
    expect([u.dtype, s.dtype, vt.dtype]).toEqual(["float32", "float32", "float32"]);
    assertAllClose(reconstruct(u, s, vt), a, { rtol: 0, atol: 1e-6 });
  });

  it.each([
    { name: "a vector", a: new Tensor("float64", [3]), error: ShapeError },
    { name: "a batch", a: new Tensor("float64", [2, 2, 2]), error: ShapeError },
    { name: "NaN", a: tensor([[1, 2], [3, NaN]], { dtype: "float64" }), error: ValueError },
  ])("rejects $name", ({ a, error }) => {
    expect(() => svd(a)).toThrow(error);
  });
});
