import { describe, expect, it } from "vitest";
import { LinAlgError, ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { naiveMatmul, naiveTranspose, randomMatrix } from "./test-matrices.js";
import { solveTriangular } from "./triangular-solve.js";

/**
 * A random n x n matrix whose `lower` (or upper) triangle is well conditioned
 * (diagonal n + 1) and whose other triangle holds garbage, plus the
 * triangular matrix the solver should actually see.
 */
function triangularPair(n: number, lower: boolean, unitDiagonal: boolean, seed: number) {
  const stored = randomMatrix(n, n, seed);
  const effective = new Tensor("float64", [n, n]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const inTriangle = lower ? j <= i : j >= i;
      if (i === j) stored.data[i * n + i] = n + 1;
      if (!inTriangle) stored.data[i * n + j] = 1e6; // must never be read
      else effective.data[i * n + j] = i === j && unitDiagonal ? 1 : stored.data[i * n + j];
    }
  }
  return { stored, effective };
}

const cases = [false, true].flatMap((lower) =>
  [false, true].flatMap((transpose) =>
    [false, true].flatMap((unitDiagonal) => [1, 3].map((k) => ({ lower, transpose, unitDiagonal, k }))),
  ),
);

describe("solveTriangular", () => {
  it.each(cases)("solves op(T) x = b (lower $lower, transpose $transpose, unitDiagonal $unitDiagonal, k = $k)", (options) => {
    const n = 9;
    const { stored, effective } = triangularPair(n, options.lower, options.unitDiagonal, 17);
    const b = options.k === 1 ? randomMatrix(n, 1, 3).reshape([n]) : randomMatrix(n, options.k, 3);
    const x = solveTriangular(stored, b, options);
    expect(x.shape).toEqual(b.shape);
    const op = options.transpose ? naiveTranspose(effective) : effective;
    assertAllClose(naiveMatmul(op, x.reshape([n, options.k])).reshape(b.shape as number[]), b, { rtol: 0, atol: 1e-13 }, "op(T) x");
  });

  it("solves a 2x2 by hand", () => {
    const l = tensor([[2, 0], [1, 4]], { dtype: "float64" });
    expect(solveTriangular(l, tensor([2, 9], { dtype: "float64" })).toArray()).toEqual([1, 2]);
    expect(solveTriangular(l, tensor([4, 8], { dtype: "float64" }), { transpose: true }).toArray()).toEqual([1, 2]); // [[2, 1], [0, 4]] x = [4, 8]
  });

  it("promotes to float64 when either input is float64", () => {
    const l32 = tensor([[2, 0], [1, 4]], { dtype: "float32" });
    const b32 = tensor([2, 9], { dtype: "float32" });
    expect(solveTriangular(l32, b32).dtype).toBe("float32");
    expect(solveTriangular(l32, b32.astype("float64")).dtype).toBe("float64");
    expect(solveTriangular(l32.astype("float64"), b32).dtype).toBe("float64");
  });

  it.each([
    { name: "a zero diagonal entry", a: tensor([[1, 0], [5, 0]], { dtype: "float64" }), b: tensor([1, 1], { dtype: "float64" }), error: LinAlgError, message: /singular: diagonal entry 1 is zero/ },
    { name: "a right-hand side of the wrong length", a: tensor([[1, 0], [0, 1]], { dtype: "float64" }), b: tensor([1, 1, 1], { dtype: "float64" }), error: ShapeError, message: /b must have 2 rows/ },
    { name: "a 3-D right-hand side", a: tensor([[1, 0], [0, 1]], { dtype: "float64" }), b: new Tensor("float64", [2, 1, 1]), error: ShapeError, message: /b must have shape \[2\] or \[2, k\]/ },
    { name: "a non-square matrix", a: new Tensor("float64", [2, 3]), b: tensor([1, 1], { dtype: "float64" }), error: ShapeError, message: /square/ },
    { name: "NaN in b", a: tensor([[1, 0], [0, 1]], { dtype: "float64" }), b: tensor([1, NaN], { dtype: "float64" }), error: ValueError, message: /b contains NaN at \[1, 0\]/ },
  ])("rejects $name", ({ a, b, error, message }) => {
    expect(() => solveTriangular(a, b)).toThrow(error);
    expect(() => solveTriangular(a, b)).toThrow(message);
  });

  it("does not read the diagonal when unitDiagonal is set", () => {
    const l = tensor([[0, 0], [3, 0]], { dtype: "float64" });
    expect(solveTriangular(l, tensor([1, 5], { dtype: "float64" }), { unitDiagonal: true }).toArray()).toEqual([1, 2]);
  });
});
