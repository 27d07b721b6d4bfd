import { describe, expect, it } from "vitest";
import { tensor, Tensor } from "../tensor.js";
import { finiteDifferenceJvp } from "./finite-difference.js";

const f64 = (values: number[]) => tensor(values, { dtype: "float64" });

/** Elementwise map in float64, as a test function. */
function map(fn: (x: number, y: number) => number) {
  return ([x, y]: readonly Tensor[]) => new Tensor("float64", x.shape, Float64Array.from(x.data as Float64Array, (v, i) => fn(v, Number(y?.data[i] ?? 0))));
}

describe("finiteDifferenceJvp", () => {
  it.each([
    { name: "x^3", fn: (x: number) => x ** 3, x: [0.5, -1.2, 2], v: [1, 2, -0.5], expected: (x: number, v: number) => 3 * x * x * v },
    { name: "sin", fn: Math.sin, x: [0.1, 1, 3], v: [0.3, -1, 1], expected: (x: number, v: number) => Math.cos(x) * v },
    { name: "exp", fn: Math.exp, x: [-2, 0, 1.5], v: [1, 1, 1], expected: (x: number, v: number) => Math.exp(x) * v },
  ])("matches the closed form of $name in float64 to 1e-10", async ({ fn, x, v, expected }) => {
    const d = await finiteDifferenceJvp(map(fn), [f64(x)], [f64(v)]);
    d.toArray().forEach((value, i) => expect(Math.abs(value - expected(x[i], v[i]))).toBeLessThan(1e-10 * (1 + Math.abs(expected(x[i], v[i])))));
  });

  it("holds inputs without a direction fixed and accepts async functions", async () => {
    const product = async (inputs: readonly Tensor[]) => map((a, b) => a * b)(inputs);
    const d = await finiteDifferenceJvp(product, [f64([2, 3]), f64([5, 7])], [f64([1, 1]), undefined]);
    expect(d.toArray().map((x) => Math.round(x * 1e9) / 1e9)).toEqual([5, 7]);
  });

  it("rejects mismatched directions, bad steps and integer inputs", async () => {
    const id = ([x]: readonly Tensor[]) => x;
    await expect(finiteDifferenceJvp(id, [f64([1])], [])).rejects.toThrow(/1 inputs but 0 directions/);
    await expect(finiteDifferenceJvp(id, [f64([1])], [f64([1])], { step: 0 })).rejects.toThrow(/step must be positive/);
    await expect(finiteDifferenceJvp(id, [f64([1, 2])], [f64([1])])).rejects.toThrow(/does not fit/);
    await expect(finiteDifferenceJvp(id, [tensor([1n])], [tensor([1n])])).rejects.toThrow(/cannot move a int64 input/);
  });
});
