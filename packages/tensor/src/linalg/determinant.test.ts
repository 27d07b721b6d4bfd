import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../errors.js";
import { Tensor, tensor } from "../tensor.js";
import { cholesky } from "./cholesky.js";
import { det, slogdet } from "./determinant.js";
import { randomMatrix, randomSpd } from "./test-matrices.js";

/** The rule of Sarrus for a 3x3 matrix, an independent closed form. */
function sarrus(m: number[][]): number {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  return a * e * i + b * f * g + c * d * h - c * e * g - b * d * i - a * f * h;
}

describe("det and slogdet", () => {
  const random3 = randomMatrix(3, 3, 21);
  it.each([
    { name: "2x2 closed form ad - bc", m: [[1, 2], [3, 4]], expected: -2 },
    { name: "3x3 rule of Sarrus", m: random3.toNested() as number[][], expected: sarrus(random3.toNested() as number[][]) },
    { name: "upper triangular: product of the diagonal", m: [[2, 7, 1], [0, -3, 5], [0, 0, 0.5]], expected: -3 },
    { name: "lower triangular: product of the diagonal", m: [[2, 0, 0], [9, 3, 0], [1, 1, 4]], expected: 24 },
    { name: "odd permutation", m: [[0, 1, 0], [1, 0, 0], [0, 0, 1]], expected: -1 },
    { name: "even permutation", m: [[0, 1, 0], [0, 0, 1], [1, 0, 0]], expected: 1 },
    { name: "singular", m: [[1, 2, 3], [4, 5, 6], [7, 8, 9]], expected: 0 },
    { name: "1x1", m: [[-4.5]], expected: -4.5 },
  ])("$name", ({ m, expected }) => {
    const a = tensor(m, { dtype: "float64" });
    const value = det(a);
    expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)) + (expected === 0 ? 1e-15 : 0));
    const { sign, logAbsDet } = slogdet(a);
    if (expected === 0) {
      // Exactly singular only if LU hits an exact zero; the 3x3 "singular" case does not.
      expect(Math.abs(sign * Math.exp(logAbsDet))).toBeLessThan(1e-14);
    } else {
      expect(sign).toBe(Math.sign(expected));
      expect(logAbsDet).toBeCloseTo(Math.log(Math.abs(expected)), 13);
    }
  });

  it("gives sign 0 and -Infinity for an exactly singular matrix", () => {
    const a = tensor([[1, 2], [2, 4]], { dtype: "float64" });
    expect(Math.abs(det(a))).toBe(0);
    expect(slogdet(a)).toEqual({ sign: 0, logAbsDet: -Infinity });
  });

  it("stays finite where det overflows, matching 2 sum log L_ii of the Cholesky factor", () => {
    const a = randomSpd(200, 3); // eigenvalues >= 200, so det >= 200^200
    expect(det(a)).toBe(Infinity);
    const l = cholesky(a);
    let expected = 0;
    for (let i = 0; i < 200; i++) expected += 2 * Math.log(l.get(i, i));
    const { sign, logAbsDet } = slogdet(a);
    expect(sign).toBe(1);
    expect(Math.abs(logAbsDet - expected)).toBeLessThan(1e-12 * expected);
  });

  it("is 1 for a 0 x 0 matrix", () => {
    expect(det(new Tensor("float64", [0, 0]))).toBe(1);
    expect(slogdet(new Tensor("float64", [0, 0]))).toEqual({ sign: 1, logAbsDet: 0 });
  });

  it.each([
    { name: "a non-square matrix", a: new Tensor("float64", [2, 3]), error: ShapeError },
    { name: "NaN", a: tensor([[NaN]], { dtype: "float64" }), error: ValueError },
  ])("rejects $name", ({ a, error }) => {
    expect(() => det(a)).toThrow(error);
    expect(() => slogdet(a)).toThrow(error);
  });
});
