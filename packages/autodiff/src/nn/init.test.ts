import { Generator, ValueError } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { Conv2d } from "./conv2d.js";
import { defaultBias, kaimingUniform } from "./init.js";
import { Linear } from "./linear.js";
import type { Module } from "./module.js";

/** Min, max, mean and variance of a tensor's entries. */
function statistics(values: number[]): { min: number; max: number; mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { min: Math.min(...values), max: Math.max(...values), mean, variance };
}

const parameter = (m: Module, name: string) => m.stateDict()[name].toArray();

// PyTorch: kaiming_uniform_(a = sqrt(5)) gives bound = sqrt(6 / ((1 + 5) fanIn)) = 1 / sqrt(fanIn);
// the bias is uniform on the same bound. U(-b, b) has variance b^2 / 3.
const cases = [
  { name: "Linear(400, 300)", make: () => new Linear(400, 300, { generator: new Generator(0) }), fanIn: 400 },
  { name: "Conv2d(16, 64, 3)", make: () => new Conv2d(16, 64, 3, { generator: new Generator(1) }), fanIn: 16 * 9 },
  { name: "Conv2d(32, 64, [3, 5], groups 4)", make: () => new Conv2d(32, 64, [3, 5], { groups: 4, generator: new Generator(2) }), fanIn: 8 * 15 },
];

describe("default initialization (PyTorch's Kaiming-uniform, a = sqrt(5))", () => {
  it.each(cases)("$name: weight in ±1/sqrt(fanIn), filling it, with variance bound²/3", ({ make, fanIn }) => {
    const layer = make();
    const bound = 1 / Math.sqrt(fanIn);
    const weight = statistics(parameter(layer, "weight"));
    const n = parameter(layer, "weight").length;
    expect(weight.min).toBeGreaterThanOrEqual(-bound);
    expect(weight.max).toBeLessThanOrEqual(bound);
    // With n >= 7680 draws each extreme comes within 1% of its bound (a miss has probability 0.995^n < e^-38).
    expect(weight.max).toBeGreaterThan(0.99 * bound);
    expect(weight.min).toBeLessThan(-0.99 * bound);
    // Mean and variance within 5 standard errors of U(-b, b)'s 0 and b²/3.
    expect(Math.abs(weight.mean)).toBeLessThan((5 * bound) / Math.sqrt(3 * n));
    expect(Math.abs(weight.variance - bound ** 2 / 3)).toBeLessThan((5 * bound ** 2 * Math.sqrt(4 / 45)) / Math.sqrt(n));
    const bias = statistics(parameter(layer, "bias"));
    expect(bias.min).toBeGreaterThanOrEqual(-bound);
    expect(bias.max).toBeLessThanOrEqual(bound);
  });

  it("kaimingUniform's bound follows the gain sqrt(2 / (1 + a²)): a = 0 gives sqrt(6 / fanIn)", () => {
    const values = kaimingUniform(new Generator(3), [20000], { fanIn: 6, a: 0, dtype: "float64" }).toArray();
    const { min, max } = statistics(values);
    expect(max).toBeLessThanOrEqual(1);
    expect(min).toBeGreaterThanOrEqual(-1);
    expect(max).toBeGreaterThan(0.999);
    expect(min).toBeLessThan(-0.999);
  });

  it("a bias with no inputs is zero, and Kaiming needs a positive fan-in", () => {
    expect(defaultBias(new Generator(0), [3], 0, "float64").toArray()).toEqual([0, 0, 0]);
    expect(() => kaimingUniform(new Generator(0), [3, 0], { fanIn: 0, a: 0, dtype: "float32" })).toThrow(ValueError);
  });

  it("draws in the layer's dtype", () => {
    expect(new Linear(3, 2, { dtype: "float64" }).parameters().map((p) => p.dtype)).toEqual(["float64", "float64"]);
  });
});
