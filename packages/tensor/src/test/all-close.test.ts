import { describe, expect, it } from "vitest";
import { tensor } from "../tensor.js";
import { allClose, assertAllClose, compare } from "./all-close.js";

describe("allClose", () => {
  it("accepts values within rtol/atol and reports the worst entry otherwise", () => {
    expect(allClose([1, 2, 3], [1, 2, 3 + 1e-9])).toBe(true);
    const c = compare(tensor([[1, 2], [3, 4]], { dtype: "float64" }), tensor([[1, 2], [3, 4.1]], { dtype: "float64" }));
    expect(c.ok).toBe(false);
    expect(c.worstIndex).toEqual([1, 1]);
    expect(c.message).toContain("[1, 1]");
  });
  it("treats NaN as equal only to NaN and rejects shape mismatches", () => {
    expect(allClose([NaN, 1], [NaN, 1])).toBe(true);
    expect(allClose([NaN, 1], [0, 1])).toBe(false);
    expect(allClose(tensor([1, 2]), tensor([[1, 2]]))).toBe(false);
    expect(() => assertAllClose([1], [2], {}, "x")).toThrow(/x: not close/);
  });
});
