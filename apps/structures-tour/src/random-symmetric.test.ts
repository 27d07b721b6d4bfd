import { describe, expect, it } from "vitest";
import { Generator } from "@curv/tensor";
import { randomSymmetric } from "./random-symmetric.js";

describe("randomSymmetric", () => {
  it.each([1, 2, 7])("is symmetric with entries in [0, 1) for dim %d", (dim) => {
    const s = randomSymmetric(new Generator(3), dim);
    expect(s.shape).toEqual([dim, dim]);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        expect(s.get(i, j)).toBe(s.get(j, i));
        expect(s.get(i, j)).toBeGreaterThanOrEqual(0);
        expect(s.get(i, j)).toBeLessThan(1);
      }
    }
  });

  it("is (U + Uᵀ) / 2 of the generator's uniform draw", () => {
    const u = new Generator(5).uniform([3, 3], { dtype: "float64" });
    const s = randomSymmetric(new Generator(5), 3);
    expect(s.get(0, 2)).toBeCloseTo((u.get(0, 2) + u.get(2, 0)) / 2, 15);
    expect(s.get(1, 1)).toBe(u.get(1, 1));
  });
});
