import { describe, expect, it } from "vitest";
import { tensor } from "../tensor.js";
import { assertTransposeIdentity, checkTransposeIdentity, innerProduct, norm } from "./transpose-identity.js";

const f64 = (values: number[]) => tensor(values, { dtype: "float64" });

// A = [[1, 2], [3, 4], [5, 6]]: A v and A^T w by hand.
const v = f64([1, -1]);
const w = f64([2, 0, 1]);
const av = f64([-1, -1, -1]);
const atw = f64([7, 10]);

describe("innerProduct and norm", () => {
  it("sums products over tensors and over lists of blocks", () => {
    expect(innerProduct(f64([1, 2]), f64([3, 4]))).toBe(11);
    expect(innerProduct([f64([1]), f64([2, 3])], [f64([4]), f64([5, 6])])).toBe(4 + 10 + 18);
    expect(norm(f64([3, 4]))).toBe(5);
  });

  it("rejects blocks that do not pair up", () => {
    expect(() => innerProduct([f64([1])], [f64([1]), f64([2])])).toThrow(/1 blocks against 2/);
    expect(() => innerProduct(f64([1, 2]), f64([1]))).toThrow(/block 0/);
  });
});

describe("checkTransposeIdentity", () => {
  it("accepts a map and its transpose", () => {
    const check = checkTransposeIdentity(av, w, v, atw);
    expect(check).toMatchObject({ ok: true, forward: -3, adjoint: -3, relativeError: 0 });
  });

  it("rejects a wrong transpose, naming both inner products", () => {
    const wrong = f64([7, 11]);
    expect(checkTransposeIdentity(av, w, v, wrong).ok).toBe(false);
    expect(() => assertTransposeIdentity(av, w, v, wrong, { rtol: 1e-12 }, "A")).toThrow(/A: <A v, w> = -3, <v, A\^T w> = -4/);
  });
});
