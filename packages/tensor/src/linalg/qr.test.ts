import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { qr } from "./qr.js";
import { identity, naiveMatmul, naiveTranspose, randomMatrix } from "./test-matrices.js";

/** A random matrix with column `zeroColumn` set to zero (rank deficient). */
function withZeroColumn(m: number, n: number, zeroColumn: number): Tensor<"float64"> {
  const a = randomMatrix(m, n, 31);
  for (let i = 0; i < m; i++) a.data[i * n + zeroColumn] = 0;
  return a;
}

describe("qr", () => {
  it.each([
    { name: "square", a: randomMatrix(6, 6, 1) },
    { name: "tall", a: randomMatrix(9, 4, 2) },
    { name: "wide", a: randomMatrix(3, 7, 3) },
    { name: "single column", a: randomMatrix(5, 1, 4) },
    { name: "single row", a: randomMatrix(1, 5, 5) },
    { name: "rank deficient", a: withZeroColumn(6, 4, 1) },
    { name: "larger tall", a: randomMatrix(60, 40, 6) },
  ])("Q R = A with orthonormal Q and upper triangular R: $name", ({ a }) => {
    const [m, n] = a.shape;
    const k = Math.min(m, n);
    for (const mode of ["reduced", "complete"] as const) {
      const { q, r } = qr(a, { mode });
      const qCols = mode === "complete" ? m : k;
      expect(q.shape).toEqual([m, qCols]);
      expect(r.shape).toEqual([qCols, n]);
      assertAllClose(naiveMatmul(q, r), a, { rtol: 0, atol: 1e-14 * Math.max(m, n) }, `Q R (${mode})`);
      assertAllClose(naiveMatmul(naiveTranspose(q), q), identity(qCols), { rtol: 0, atol: 1e-14 * m }, `Q^T Q (${mode})`);
      for (let i = 0; i < qCols; i++) for (let j = 0; j < Math.min(i, n); j++) expect(r.get(i, j)).toBe(0);
    }
  });

  it("matches a hand-worked 2x2 (reflector of [3, 4])", () => {
    const { q, r } = qr(tensor([[3, 1], [4, 2]], { dtype: "float64" }));
    assertAllClose(r.toArray(), [-5, -2.2, 0, 0.4], { rtol: 0, atol: 1e-15 });
    assertAllClose(q.toArray(), [-0.6, -0.8, -0.8, 0.6], { rtol: 0, atol: 1e-15 });
  });

  it("keeps float32", () => {
    const a = randomMatrix(5, 3, 8).astype("float32");
    const { q, r } = qr(a);
    expect([q.dtype, r.dtype]).toEqual(["float32", "float32"]);
    assertAllClose(naiveMatmul(q, r), a, { rtol: 0, atol: 1e-6 });
  });

  it.each([
    { name: "a vector", a: new Tensor("float64", [3]), error: ShapeError, options: {} },
    { name: "NaN", a: tensor([[1, NaN]], { dtype: "float64" }), error: ValueError, options: {} },
    { name: "an unknown mode", a: tensor([[1]], { dtype: "float64" }), error: ValueError, options: { mode: "r" as "reduced" } },
  ])("rejects $name", ({ a, error, options }) => {
    expect(() => qr(a, options)).toThrow(error);
  });
});
