import { describe, expect, it } from "vitest";
import { LinAlgError, ShapeError } from "../errors.js";
import { tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { cholesky } from "./cholesky.js";
import { choleskySolve } from "./cholesky-solve.js";
import { naiveMatmul, randomMatrix, randomSpd } from "./test-matrices.js";

describe("choleskySolve", () => {
  it.each([
    { upper: false, k: 0 },
    { upper: false, k: 3 },
    { upper: true, k: 0 },
    { upper: true, k: 3 },
  ])("solves A x = b from the factor (upper $upper, k = $k; 0 is a vector b)", ({ upper, k }) => {
    const n = 20;
    const a = randomSpd(n, 8);
    const b = k === 0 ? randomMatrix(n, 1, 9).reshape([n]) : randomMatrix(n, k, 9);
    const x = choleskySolve(cholesky(a, { upper }), b, { upper });
    expect(x.shape).toEqual(b.shape);
    assertAllClose(naiveMatmul(a, x.reshape([n, -1])).reshape(b.shape as number[]), b, { rtol: 0, atol: 1e-12 }, "A x");
  });

  it("matches a hand-worked 2x2", () => {
    const a = tensor([[4, 2], [2, 5]], { dtype: "float64" });
    expect(choleskySolve(cholesky(a), tensor([8, 12], { dtype: "float64" })).toArray()).toEqual([1, 2]);
  });

  it.each([
    { name: "a zero on the factor's diagonal", l: tensor([[1, 0], [1, 0]], { dtype: "float64" }), b: tensor([1, 1], { dtype: "float64" }), error: LinAlgError },
    { name: "mismatched shapes", l: tensor([[1, 0], [1, 1]], { dtype: "float64" }), b: tensor([1, 1, 1], { dtype: "float64" }), error: ShapeError },
  ])("rejects $name", ({ l, b, error }) => {
    expect(() => choleskySolve(l, b)).toThrow(error);
  });
});
