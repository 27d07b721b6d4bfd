import { describe, expect, it } from "vitest";
import { LinAlgError, ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { luFactor, luSolve } from "./lu.js";
import { naiveMatmul, randomMatrix } from "./test-matrices.js";

/** Splits compact `lu` into unit lower `L` and upper `U`, and applies the recorded row swaps to `a`. */
function unpack(lu: Tensor, pivots: Tensor<"int32">, a: Tensor) {
  const n = lu.shape[0];
  const l = new Tensor("float64", [n, n]);
  const u = new Tensor("float64", [n, n]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j < i) l.data[i * n + j] = lu.get(i, j);
      else u.data[i * n + j] = lu.get(i, j);
    }
    l.data[i * n + i] = 1;
  }
  const pa = a.astype("float64");
  for (let i = 0; i < n; i++) {
    const p = pivots.get(i);
    for (let j = 0; j < n; j++) [pa.data[i * n + j], pa.data[p * n + j]] = [pa.data[p * n + j], pa.data[i * n + j]];
  }
  return { l, u, pa };
}

describe("luFactor", () => {
  it.each([1, 2, 7, 40])("factors a random %i x %i matrix as P A = L U with |L_ij| <= 1", (n) => {
    const a = randomMatrix(n, n, n + 100);
    const { lu, pivots } = luFactor(a);
    const { l, u, pa } = unpack(lu, pivots, a);
    assertAllClose(naiveMatmul(l, u), pa, { rtol: 0, atol: 1e-14 * n }, "L U vs P A");
    // Partial pivoting bounds every multiplier by 1 (G&VL section 3.4.3).
    for (const v of l.data) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    for (let i = 0; i < n; i++) expect(pivots.get(i)).toBeGreaterThanOrEqual(i);
  });

  it("matches a hand-worked 2x2", () => {
    const { lu, pivots } = luFactor(tensor([[1, 2], [3, 4]], { dtype: "float64" }));
    expect(pivots.toArray()).toEqual([1, 1]);
    assertAllClose(lu.toArray(), [3, 4, 1 / 3, 2 - 4 / 3], { rtol: 1e-15, atol: 0 });
  });

  it("factors a singular matrix without error", () => {
    const { lu } = luFactor(tensor([[1, 2], [2, 4]], { dtype: "float64" }));
    expect(lu.get(1, 1)).toBe(0);
  });

  it("keeps float32 for float32 input", () => {
    expect(luFactor(tensor([[1, 2], [3, 4]])).lu.dtype).toBe("float32");
  });
});

describe("luSolve", () => {
  it("solves A x = b for vector and matrix right-hand sides", () => {
    const a = randomMatrix(12, 12, 5);
    const factors = luFactor(a);
    for (const b of [randomMatrix(12, 1, 6).reshape([12]), randomMatrix(12, 4, 7)]) {
      const x = luSolve(factors, b);
      expect(x.shape).toEqual(b.shape);
      assertAllClose(naiveMatmul(a, x.reshape([12, -1])).reshape(b.shape as number[]), b, { rtol: 0, atol: 1e-13 });
    }
  });

  it("rejects a singular factorization, naming the zero pivot", () => {
    const factors = luFactor(tensor([[1, 2], [2, 4]], { dtype: "float64" }));
    expect(() => luSolve(factors, tensor([1, 1], { dtype: "float64" }))).toThrow(LinAlgError);
    expect(() => luSolve(factors, tensor([1, 1], { dtype: "float64" }))).toThrow(/singular: U\[1, 1\] is zero/);
  });

  it.each([
    { name: "pivots of the wrong length", pivots: new Tensor("int32", [3]), error: ShapeError },
    { name: "float pivots", pivots: new Tensor("float64", [2]) as unknown as Tensor<"int32">, error: ShapeError },
    { name: "a pivot pointing above its row", pivots: new Tensor("int32", [2], new Int32Array([0, 0])), error: ValueError },
    { name: "a pivot past the last row", pivots: new Tensor("int32", [2], new Int32Array([2, 1])), error: ValueError },
  ])("rejects $name", ({ pivots, error }) => {
    const { lu } = luFactor(tensor([[1, 2], [3, 4]], { dtype: "float64" }));
    expect(() => luSolve({ lu, pivots }, tensor([1, 1], { dtype: "float64" }))).toThrow(error);
  });
});
