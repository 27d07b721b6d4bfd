import { describe, expect, it } from "vitest";
import { LinAlgError, ShapeError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { inv } from "./inv.js";
import { identity, naiveMatmul, randomMatrix } from "./test-matrices.js";

describe("inv", () => {
  it.each([1, 3, 30])("inverts a random %i x %i matrix from both sides", (n) => {
    const a = randomMatrix(n, n, n + 7);
    const x = inv(a);
    assertAllClose(naiveMatmul(x, a), identity(n), { rtol: 0, atol: 1e-12 }, "inv(A) A");
    assertAllClose(naiveMatmul(a, x), identity(n), { rtol: 0, atol: 1e-12 }, "A inv(A)");
  });

  it("matches the 2x2 closed form [[d, -b], [-c, a]] / (ad - bc)", () => {
    const [a, b, c, d] = [3, 1, 4, 2];
    const determinant = a * d - b * c;
    const expected = [d / determinant, -b / determinant, -c / determinant, a / determinant];
    assertAllClose(inv(tensor([[a, b], [c, d]], { dtype: "float64" })).toArray(), expected, { rtol: 1e-15, atol: 0 });
  });

  it("keeps float32", () => {
    expect(inv(tensor([[2, 0], [0, 4]])).dtype).toBe("float32");
  });

  it.each([
    { name: "a singular matrix", a: tensor([[1, 2], [2, 4]], { dtype: "float64" }), error: LinAlgError },
    { name: "a non-square matrix", a: new Tensor("float64", [2, 3]), error: ShapeError },
  ])("rejects $name", ({ a, error }) => {
    expect(() => inv(a)).toThrow(error);
  });
});
