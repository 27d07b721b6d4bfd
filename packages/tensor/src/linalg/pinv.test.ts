import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { inv } from "./inv.js";
import { pinv } from "./pinv.js";
import { naiveMatmul, naiveTranspose, randomMatrix } from "./test-matrices.js";

describe("pinv", () => {
  it.each([
    { name: "tall full rank", a: randomMatrix(7, 4, 1) },
    { name: "wide full rank", a: randomMatrix(3, 6, 2) },
    { name: "rank 2, 5x4", a: naiveMatmul(randomMatrix(5, 2, 3), randomMatrix(2, 4, 4)) },
    { name: "zero", a: new Tensor("float64", [2, 3]) },
  ])("satisfies the four Moore-Penrose conditions: $name", ({ a }) => {
    const x = pinv(a);
    expect(x.shape).toEqual([a.shape[1], a.shape[0]]);
    const ax = naiveMatmul(a, x);
    const xa = naiveMatmul(x, a);
    const tolerance = { rtol: 0, atol: 1e-12 };
    assertAllClose(naiveMatmul(ax, a), a, tolerance, "A X A = A");
    assertAllClose(naiveMatmul(xa, x), x, tolerance, "X A X = X");
    assertAllClose(naiveTranspose(ax), ax, tolerance, "A X symmetric");
    assertAllClose(naiveTranspose(xa), xa, tolerance, "X A symmetric");
  });

  it("equals inv for an invertible matrix", () => {
    const a = randomMatrix(5, 5, 6);
    assertAllClose(pinv(a), inv(a), { rtol: 0, atol: 1e-12 });
  });

  it("matches closed forms: a column of ones and a singular diagonal", () => {
    assertAllClose(pinv(tensor([[1], [1]], { dtype: "float64" })).toArray(), [0.5, 0.5], { rtol: 1e-15, atol: 0 });
    assertAllClose(pinv(tensor([[2, 0], [0, 0]], { dtype: "float64" })).toArray(), [0.5, 0, 0, 0], { rtol: 1e-15, atol: 0 });
  });

  it("drops singular values below rtol * max(s)", () => {
    const a = tensor([[1, 0], [0, 1e-8]], { dtype: "float64" });
    assertAllClose(pinv(a).toArray(), [1, 0, 0, 1e8], { rtol: 1e-12, atol: 0 });
    assertAllClose(pinv(a, { rtol: 1e-6 }).toArray(), [1, 0, 0, 0], { rtol: 0, atol: 0 });
  });

  it("keeps float32", () => {
    expect(pinv(tensor([[2, 0], [0, 4]])).dtype).toBe("float32");
  });

  it.each([
    { name: "a vector", a: new Tensor("float64", [3]), options: {}, error: ShapeError },
    { name: "a negative rtol", a: tensor([[1]], { dtype: "float64" }), options: { rtol: -1 }, error: ValueError },
  ])("rejects $name", ({ a, options, error }) => {
    expect(() => pinv(a, options)).toThrow(error);
  });
});
