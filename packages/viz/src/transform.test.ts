import { describe, expect, it } from "vitest";
import { ValueError } from "@curv/tensor";
import { identityTransform, logAbs } from "./transform.js";

describe("logAbs", () => {
  it.each([
    [100, 1e-10, 2],
    [-0.001, 1e-10, -3],
    [0, 1e-10, -10],
    [-0, 1e-4, -4],
    [1e-12, 1e-10, -10], // below min: clamped
    [Infinity, 1e-10, Infinity],
  ])("maps %d with min %d to %d", (value, min, expected) => {
    expect(logAbs({ min }).apply(value)).toBeCloseTo(expected, 12);
  });

  it("keeps NaN as NaN so it is drawn in nanColor", () => {
    expect(logAbs().apply(NaN)).toBeNaN();
  });

  it("says what it shows in its label", () => {
    expect(logAbs({ min: 1e-10 }).label).toBe("log10(max(|value|, 1e-10))");
    expect(logAbs({ min: 0.01 }).label).toBe("log10(max(|value|, 0.01))");
    expect(identityTransform.label).toBe("");
  });

  it.each([0, -1, NaN, Infinity])("rejects min = %d", (min) => {
    expect(() => logAbs({ min })).toThrow(ValueError);
  });
});
