import { describe, expect, it } from "vitest";
import { LinAlgError, ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { cholesky } from "./cholesky.js";
import { naiveMatmul, naiveTranspose, randomSpd } from "./test-matrices.js";

function expectTriangular(t: Tensor, lower: boolean): void {
  const n = t.shape[0];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (lower ? j > i : j < i) expect(t.get(i, j)).toBe(0);
      if (i === j) expect(t.get(i, i)).toBeGreaterThan(0);
    }
  }
}

describe("cholesky", () => {
  // 64 is the panel width: 64, 65 and 130 exercise one panel, a one-column second panel, and three panels.
  it.each([1, 2, 5, 64, 65, 130])("factors a random SPD matrix of order %i (L L^T = A)", (n) => {
    const a = randomSpd(n, n);
    const l = cholesky(a);
    expectTriangular(l, true);
    assertAllClose(naiveMatmul(l, naiveTranspose(l)), a, { rtol: 0, atol: 1e-14 * n * n }, "L L^T");
  });

  it("matches a closed form", () => {
    // [[4, 2], [2, 5]] = [[2, 0], [1, 2]] [[2, 1], [0, 2]], exactly representable.
    expect(cholesky(tensor([[4, 2], [2, 5]], { dtype: "float64" })).toNested()).toEqual([[2, 0], [1, 2]]);
  });

  it("returns U = L^T with U^T U = A when upper is set", () => {
    const a = randomSpd(70, 3);
    const u = cholesky(a, { upper: true });
    expectTriangular(u, false);
    assertAllClose(naiveMatmul(naiveTranspose(u), u), a, { rtol: 0, atol: 1e-9 }, "U^T U");
    assertAllClose(u, naiveTranspose(cholesky(a)), { rtol: 0, atol: 0 }, "U vs L^T");
  });

  it.each([{ upper: false }, { upper: true }])("reads only one triangle (upper: $upper)", ({ upper }) => {
    const a = randomSpd(66, 4);
    const garbled = a.clone();
    for (let i = 0; i < 66; i++) for (let j = 0; j < 66; j++) if (upper ? j < i : j > i) garbled.data[i * 66 + j] = -1e9;
    assertAllClose(cholesky(garbled, { upper }), cholesky(a, { upper }), { rtol: 0, atol: 0 });
  });

  it("accepts float32 input and returns a float32 factor", () => {
    const a = randomSpd(9, 5).astype("float32");
    const l = cholesky(a);
    expect(l.dtype).toBe("float32");
    assertAllClose(naiveMatmul(l, naiveTranspose(l)), a, { rtol: 0, atol: 1e-5 });
  });

  it.each([
    { name: "an indefinite 2x2", a: tensor([[1, 2], [2, 1]], { dtype: "float64" }), pivot: 1 },
    { name: "the zero matrix", a: new Tensor("float64", [3, 3]), pivot: 0 },
    {
      name: "a negative diagonal entry in the second panel",
      a: (() => {
        const a = randomSpd(80, 6);
        a.data[70 * 80 + 70] = -1e6;
        return a;
      })(),
      pivot: 70,
    },
  ])("names the failing pivot of $name", ({ a, pivot }) => {
    expect(() => cholesky(a)).toThrow(LinAlgError);
    expect(() => cholesky(a)).toThrow(new RegExp(`not positive definite: pivot ${pivot} is`));
  });

  it.each([
    { name: "a non-square matrix", a: new Tensor("float64", [3, 2]), error: ShapeError },
    { name: "a vector", a: new Tensor("float64", [4]), error: ShapeError },
    { name: "NaN", a: tensor([[NaN, 0], [0, 1]], { dtype: "float64" }), error: ValueError },
  ])("rejects $name", ({ a, error }) => {
    expect(() => cholesky(a)).toThrow(error);
  });
});
