import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { tensor, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { argMax, logSoftmax, logSumExp, max, mean, min, softmax, sum } from "./reduce.js";

/**
 * Naive reduction: walk every input element, drop the reduced coordinates of
 * its multi-index to find its output element, and collect the values there.
 */
function naiveGroups(x: Tensor, axes: readonly number[] | undefined): { groups: number[][]; keptShape: number[] } {
  const rank = x.ndim;
  const reduced = axes === undefined || axes.length === 0 ? [...Array(rank).keys()] : axes.map((a) => (a < 0 ? a + rank : a));
  const keptShape = x.shape.filter((_, a) => !reduced.includes(a));
  const groups: number[][] = Array.from({ length: keptShape.reduce((p, d) => p * d, 1) }, () => []);
  for (let flat = 0; flat < x.size; flat++) {
    let rest = flat;
    const index = new Array<number>(rank);
    for (let a = rank - 1; a >= 0; a--) {
      index[a] = rest % x.shape[a];
      rest = Math.floor(rest / x.shape[a]);
    }
    let o = 0;
    for (let a = 0; a < rank; a++) if (!reduced.includes(a)) o = o * x.shape[a] + index[a];
    groups[o].push(Number(x.data[flat]));
  }
  return { groups, keptShape };
}

const axesCases: (number[] | undefined)[] = [undefined, [], [0], [1], [2], [-1], [0, 2], [2, 0], [1, 2], [0, 1, 2]];
const reductions = [
  { name: "sum", kernel: sum, reference: (g: number[]) => g.reduce((s, v) => s + v, 0) },
  { name: "mean", kernel: mean, reference: (g: number[]) => g.reduce((s, v) => s + v, 0) / g.length },
  { name: "max", kernel: max, reference: (g: number[]) => Math.max(...g) },
  { name: "min", kernel: min, reference: (g: number[]) => Math.min(...g) },
  { name: "logSumExp", kernel: logSumExp, reference: (g: number[]) => Math.log(g.reduce((s, v) => s + Math.exp(v), 0)) },
];

describe("float reductions against a naive walk over every element", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const tolerance = dtype === "float32" ? { rtol: 1e-6, atol: 1e-6 } : { rtol: 1e-13, atol: 1e-13 };
    const x = new Generator(11).normal([2, 3, 4], { dtype });
    for (const { name, kernel, reference } of reductions) {
      it.each(axesCases.flatMap((axes) => [{ axes, keepdims: false }, { axes, keepdims: true }]))(
        `${name} (${dtype}) over axes $axes, keepdims $keepdims`,
        ({ axes, keepdims }) => {
          const y = kernel(x, axes, keepdims);
          const { groups } = naiveGroups(x, axes);
          const all = axes === undefined || axes.length === 0;
          const normalized = all ? [0, 1, 2] : axes.map((a) => (a + 3) % 3);
          const shape = keepdims ? x.shape.map((d, a) => (normalized.includes(a) ? 1 : d)) : x.shape.filter((_, a) => !normalized.includes(a));
          expect(y.dtype).toBe(dtype);
          expect(y.shape).toEqual(shape);
          assertAllClose(y.data as Float64Array, groups.map(reference), tolerance, name);
        },
      );
    }
  }

  it("keeps the rank-0 input and defaults to all axes", () => {
    const s = tensor(3, { dtype: "float64" });
    expect(sum(s).toNested()).toBe(3);
    expect(sum(tensor([[1, 2], [3, 4]])).shape).toEqual([]);
  });
  it("handles empty reductions: sum 0, mean NaN, logSumExp -Infinity, max/min error", () => {
    const e = tensor([], { dtype: "float64", shape: [2, 0] });
    expect(sum(e, [1]).toArray()).toEqual([0, 0]);
    expect(mean(e, [1]).toArray()).toEqual([NaN, NaN]);
    expect(logSumExp(e, [1]).toArray()).toEqual([-Infinity, -Infinity]);
    expect(() => max(e, [1])).toThrow(ShapeError);
    expect(() => min(e)).toThrow(/min: cannot reduce over zero elements/);
    expect(max(e, [0]).shape).toEqual([0]);
  });
  it("propagates NaN through max and min, and logSumExp stays finite for large inputs", () => {
    const x = tensor([[1, NaN, 3], [2, 5, -1]], { dtype: "float64" });
    expect(max(x, [1]).toArray()).toEqual([NaN, 5]);
    expect(min(x, [1]).toArray()).toEqual([NaN, -1]);
    const big = tensor([[1000, 1000], [-Infinity, -Infinity], [Infinity, 0]], { dtype: "float64" });
    assertAllClose(logSumExp(big, [1]), [1000 + Math.LN2, -Infinity, Infinity], { rtol: 1e-15, atol: 0 });
  });
});

describe("integer reductions", () => {
  const x = tensor([[2147483647, 1, 7], [4, -5, 6]], { dtype: "int32" });
  it.each([
    ["sum", sum, [1], [-2147483641, 5]],
    ["mean", mean, [1], [715827885, 1]],
    ["mean", mean, [0], [1073741825, -2, 6]],
    ["max", max, [0], [2147483647, 1, 7]],
    ["min", min, [1], [1, -5]],
  ] as const)("%s on int32 over %j", (_, kernel, axes, expected) => {
    const y = kernel(x, [...axes]);
    expect(y.dtype).toBe("int32");
    expect(y.toArray()).toEqual(expected);
  });
  const y = tensor([[2n ** 62n, 2n ** 62n, 5n], [-4n, -5n, 6n]]);
  it.each([
    ["sum", sum, [1], [2n ** 63n + 5n - 2n ** 64n, -3n]],
    ["mean", mean, [1], [(2n ** 63n + 5n) / 3n, -1n]],
    ["max", max, [0], [2n ** 62n, 2n ** 62n, 6n]],
    ["min", min, undefined, [-5n]],
  ] as const)("%s on int64 over %j", (_, kernel, axes, expected) => {
    const r = kernel(y, axes ? [...axes] : undefined, true);
    expect(r.dtype).toBe("int64");
    expect(r.toArray()).toEqual(expected.map(Number));
  });
  it("rejects bool inputs, float-only reductions on ints, repeated and out-of-range axes", () => {
    expect(() => sum(tensor([true]) as never)).toThrow(/sum: argument x: expected dtype float32 or float64 or int32 or int64, got bool/);
    expect(() => logSumExp(x as never)).toThrow(DTypeError);
    expect(() => sum(x, [1, -1])).toThrow(/sum: axes \[1, -1\] repeat an axis/);
    expect(() => sum(x, [2])).toThrow(ShapeError);
    expect(() => mean(tensor([], { dtype: "int32" }))).toThrow(ValueError);
  });
});

describe("argMax", () => {
  it.each([0, 1, 2, -1])("matches a naive first-maximum search along axis %d (both keepdims)", (axis) => {
    // Few distinct values so ties occur.
    const x = new Generator(4).integers(0, 3, [3, 4, 5]).astype("float64");
    const a = (axis + 3) % 3;
    // Move the axis last with transpose, then scan each run for its first maximum.
    const perm = [0, 1, 2].filter((k) => k !== a).concat(a);
    const moved = x.transpose(perm);
    const n = x.shape[a];
    const expected: number[] = [];
    for (let o = 0; o < moved.size / n; o++) {
      let best = 0;
      for (let k = 1; k < n; k++) if (moved.data[o * n + k] > moved.data[o * n + best]) best = k;
      expected.push(best);
    }
    const kept = argMax(x, axis);
    expect(kept.dtype).toBe("int64");
    expect(kept.shape).toEqual(x.shape.map((d, k) => (k === a ? 1 : d)));
    expect(kept.toArray()).toEqual(expected);
    expect(argMax(x, axis, false).shape).toEqual(x.shape.filter((_, k) => k !== a));
  });
  it("lets the first NaN win, works on int32/int64, and rejects empty axes and bool", () => {
    expect(argMax(tensor([1, NaN, 5, NaN]), 0, false).toNested()).toBe(1n);
    expect(argMax(tensor([[3, 9, 9]], { dtype: "int32" }), 1).toNested()).toEqual([[1n]]);
    expect(argMax(tensor([[-3n], [9n], [9n]]), 0).toNested()).toEqual([[1n]]);
    expect(() => argMax(tensor([], { shape: [2, 0] }), 1)).toThrow(/argMax: axis 1 .* is empty/);
    expect(() => argMax(tensor([true], { dtype: "bool" }), 0)).toThrow(DTypeError);
    expect(() => argMax(tensor([1, 2]), 1)).toThrow(ShapeError);
  });
});

describe("softmax and logSoftmax", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const tolerance = dtype === "float32" ? { rtol: 2e-6, atol: 1e-7 } : { rtol: 1e-13, atol: 1e-15 };
    it.each([0, 1, -1])(`softmax (${dtype}) along axis %d equals exp(x)/sum(exp(x)) and sums to 1`, (axis) => {
      const x = new Generator(9).normal([3, 4], { dtype });
      const y = softmax(x, axis);
      expect(y.dtype).toBe(dtype);
      expect(y.shape).toEqual([3, 4]);
      const a = (axis + 2) % 2;
      const expected = new Array<number>(12);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 4; j++) {
          let s = 0;
          for (let k = 0; k < x.shape[a]; k++) s += Math.exp(a === 0 ? x.get(k, j) : x.get(i, k));
          expected[i * 4 + j] = Math.exp(x.get(i, j)) / s;
        }
      }
      assertAllClose(y.data as Float64Array, expected, tolerance, "softmax");
      assertAllClose(sum(y, [a]).data as Float64Array, new Array(a === 0 ? 4 : 3).fill(1), tolerance, "row sums");
      assertAllClose(logSoftmax(x, axis).data as Float64Array, expected.map(Math.log), tolerance, "logSoftmax");
    });
  }
  it("is stable for huge inputs where the naive formula overflows", () => {
    const x = tensor([[1000, 1000, -1000], [0, 800, 0]], { dtype: "float64" });
    assertAllClose(softmax(x).data as Float64Array, [0.5, 0.5, 0, 0, 1, 0], { rtol: 1e-15, atol: 0 });
    assertAllClose(logSoftmax(x).data as Float64Array, [-Math.LN2, -Math.LN2, -2000 - Math.LN2, -800, 0, -800], { rtol: 1e-15, atol: 0 });
  });
  it("works on a 3-D tensor along the middle axis and on scalars", () => {
    const x = new Generator(2).normal([2, 3, 2], { dtype: "float64" });
    const y = softmax(x, 1);
    for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) expect(y.get(i, 0, k) + y.get(i, 1, k) + y.get(i, 2, k)).toBeCloseTo(1, 14);
    expect(softmax(tensor(5, { dtype: "float64" })).toNested()).toBe(1);
  });
  it("rejects integer inputs and bad axes", () => {
    expect(() => softmax(tensor([1], { dtype: "int32" }) as never)).toThrow(/softmax: argument x: expected dtype float32 or float64, got int32/);
    expect(() => logSoftmax(tensor([1, 2]), 1)).toThrow(ShapeError);
  });
});
