import { describe, expect, it } from "vitest";
import { LinAlgError, ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { solve } from "./solve.js";
import { naiveMatmul, randomMatrix } from "./test-matrices.js";

describe("solve", () => {
  it.each([
    { n: 1, k: 0 },
    { n: 5, k: 0 },
    { n: 50, k: 0 },
    { n: 5, k: 3 },
    { n: 50, k: 7 },
  ])("has a small residual A x - b (n = $n, k = $k; k = 0 is a vector b)", ({ n, k }) => {
    const a = randomMatrix(n, n, n);
    const b = k === 0 ? randomMatrix(n, 1, 2).reshape([n]) : randomMatrix(n, k, 2);
    const x = solve(a, b);
    expect(x.shape).toEqual(b.shape);
    assertAllClose(naiveMatmul(a, x.reshape([n, -1])).reshape(b.shape as number[]), b, { rtol: 0, atol: 1e-12 }, "A x");
  });

  it("pivots past a zero leading entry", () => {
    const x = solve(tensor([[0, 1], [1, 0]], { dtype: "float64" }), tensor([2, 3], { dtype: "float64" }));
    expect(x.toArray()).toEqual([3, 2]);
  });

  it("computes in float64 and returns float32 for float32 inputs", () => {
    const a = randomMatrix(6, 6, 9).astype("float32");
    const b = randomMatrix(6, 1, 10).reshape([6]).astype("float32");
    const x = solve(a, b);
    expect(x.dtype).toBe("float32");
    assertAllClose(x, solve(a.astype("float64"), b.astype("float64")), { rtol: 1e-6, atol: 1e-7 });
  });

  it.each([
    { name: "a singular matrix", a: tensor([[1, 2], [2, 4]], { dtype: "float64" }), b: tensor([1, 2], { dtype: "float64" }), error: LinAlgError, message: /singular/ },
    { name: "the zero matrix", a: new Tensor("float64", [3, 3]), b: new Tensor("float64", [3]), error: LinAlgError, message: /U\[0, 0\] is zero/ },
    { name: "mismatched rows", a: tensor([[1, 0], [0, 1]], { dtype: "float64" }), b: new Tensor("float64", [3, 2]), error: ShapeError, message: /b must have 2 rows/ },
    { name: "a non-square matrix", a: new Tensor("float64", [2, 3]), b: new Tensor("float64", [2]), error: ShapeError, message: /square/ },
    { name: "Infinity in a", a: tensor([[1, -Infinity], [0, 1]], { dtype: "float64" }), b: new Tensor("float64", [2]), error: ValueError, message: /a contains -Infinity at \[0, 1\]/ },
  ])("rejects $name", ({ a, b, error, message }) => {
    expect(() => solve(a, b)).toThrow(error);
    expect(() => solve(a, b)).toThrow(message);
  });
});
