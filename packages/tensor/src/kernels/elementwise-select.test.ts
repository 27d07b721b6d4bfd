import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor } from "../tensor.js";
import { clip, where } from "./elementwise-select.js";

describe("where", () => {
  it.each([
    { condition: [2, 3], a: [2, 3], b: [2, 3] },
    { condition: [3], a: [2, 1], b: [] },
    { condition: [2, 1, 1], a: [1, 4], b: [3, 1] },
    { condition: [], a: [2, 2], b: [2] },
  ])("broadcasts condition $condition, a $a, b $b three ways", ({ condition, a, b }) => {
    const g = new Generator(1);
    const c = g.integers(0, 2, condition).astype("bool");
    const x = g.normal(a, { dtype: "float64" });
    const y = g.normal(b, { dtype: "float64" });
    const out = where(c, x, y);
    // Independent reference: index every operand by the output index modulo its extent.
    const rank = Math.max(condition.length, a.length, b.length);
    const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
    const [sc, sa, sb] = [pad(condition), pad(a), pad(b)];
    const shape = sc.map((d, i) => Math.max(d, sa[i], sb[i]));
    expect(out.shape).toEqual(shape);
    const offset = (index: number[], s: number[]) => index.reduce((o, k, axis) => o * s[axis] + (k % s[axis]), 0);
    for (let flat = 0; flat < out.size; flat++) {
      let rest = flat;
      const index = shape.map(() => 0);
      for (let axis = rank - 1; axis >= 0; axis--) {
        index[axis] = rest % shape[axis];
        rest = Math.floor(rest / shape[axis]);
      }
      const expected = c.data[offset(index, sc)] ? x.data[offset(index, sa)] : y.data[offset(index, sb)];
      expect(out.data[flat]).toBe(expected);
    }
  });
  it("selects int64 and bool values", () => {
    const c = tensor([true, false, true], { dtype: "bool" });
    expect(where(c, tensor([1n, 2n, 3n]), tensor([-1n])).toNested()).toEqual([1n, -1n, 3n]);
    expect(where(c, tensor([false, false, false]), tensor([true])).toNested()).toEqual([false, true, false]);
  });
  it("rejects a non-bool condition, mixed dtypes and incompatible shapes", () => {
    expect(() => where(tensor([1]) as never, tensor([1]), tensor([2]))).toThrow(/where: argument condition: expected dtype bool, got float32/);
    expect(() => where(tensor([true]), tensor([1]), tensor([2], { dtype: "float64" }) as never)).toThrow(DTypeError);
    expect(() => where(tensor([true, false, true]), tensor([1, 2]), tensor([2]))).toThrow(ShapeError);
  });
});

describe("clip", () => {
  it.each([
    { min: 0, max: 1 },
    { min: -0.5, max: undefined },
    { min: undefined, max: 0.25 },
    { min: undefined, max: undefined },
    { min: 1, max: 0 },
  ])("float64 with min $min and max $max equals min(max(x, min), max)", ({ min, max }) => {
    const x = new Generator(5).normal([3, 4], { dtype: "float64" });
    const expected = Array.from(x.data, (v) => Math.min(Math.max(v, min ?? -Infinity), max ?? Infinity));
    expect(clip(x, min, max).toArray()).toEqual(expected);
  });
  it("keeps NaN, rounds bounds into float32, and clips integers", () => {
    expect(clip(tensor([NaN, 3], { dtype: "float64" }), 0, 1).toArray()).toEqual([NaN, 1]);
    expect(clip(tensor([0, 1]), 0.1, 0.2).toArray()).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(clip(tensor([-5, 2, 9], { dtype: "int32" }), 0, 4).toArray()).toEqual([0, 2, 4]);
    expect(clip(tensor([-5, 9], { dtype: "int32" }), -1e12, 1e12).toArray()).toEqual([-5, 9]);
    expect(clip(tensor([-5n, 2n, 9n]), 0, 4).toNested()).toEqual([0n, 2n, 4n]);
    expect(clip(tensor([-5n, 9n]), -Infinity, 1e30).toNested()).toEqual([-5n, 9n]);
  });
  it("rejects bool tensors, NaN bounds and fractional bounds on integers", () => {
    expect(() => clip(tensor([true]) as never, 0, 1)).toThrow(DTypeError);
    expect(() => clip(tensor([1]), NaN)).toThrow(/clip: argument min must not be NaN/);
    expect(() => clip(tensor([1], { dtype: "int32" }), 0.5)).toThrow(ValueError);
    expect(() => clip(tensor([1n]), Infinity)).toThrow(/exclude every int64 value/);
  });
});
