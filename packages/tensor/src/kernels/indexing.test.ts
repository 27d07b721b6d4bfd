import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { Generator } from "../random.js";
import { arange, tensor, type Tensor } from "../tensor.js";
import { expand, gather, oneHot, pad, tile, type PadMode } from "./indexing.js";

/** The multi-index of flat position `flat` in `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    index[a] = flat % shape[a];
    flat = Math.floor(flat / shape[a]);
  }
  return index;
}

describe("gather", () => {
  it.each([
    { shape: [5], indices: [3], axis: 0 },
    { shape: [4, 3], indices: [2, 2], axis: 0 },
    { shape: [4, 3], indices: [2, 2], axis: 1 },
    { shape: [2, 3, 4], indices: [5], axis: -1 },
    { shape: [2, 3, 4], indices: [], axis: 1 },
    { shape: [3, 2], indices: [2, 1, 2], axis: -2 },
  ])("x $shape, indices $indices, axis $axis: out[..., t, ...] = x[..., indices[t], ...]", ({ shape, indices: indexShape, axis }) => {
    const g = new Generator(1);
    const x = g.normal(shape, { dtype: "float64" });
    const a = axis < 0 ? axis + shape.length : axis;
    const d = shape[a];
    for (const dtype of ["int32", "int64"] as const) {
      const idx = g.integers(-d, d, indexShape, dtype);
      const y = gather(x, idx, axis);
      const expectedShape = [...shape.slice(0, a), ...indexShape, ...shape.slice(a + 1)];
      expect(y.shape).toEqual(expectedShape);
      for (let flat = 0; flat < y.size; flat++) {
        const o = unravel(flat, expectedShape);
        const k = idx.get(...o.slice(a, a + indexShape.length));
        const source = [...o.slice(0, a), k < 0 ? k + d : k, ...o.slice(a + indexShape.length)];
        expect(y.data[flat]).toBe(x.get(...source));
      }
    }
  });
  it("gathers int64, bool and scalar indices", () => {
    expect(gather(tensor([10n, 20n, 30n]), tensor([2, 0], { dtype: "int32" })).toNested()).toEqual([30n, 10n]);
    expect(gather(tensor([true, false], { dtype: "bool" }), tensor([1, 1], { dtype: "int32" })).toNested()).toEqual([false, false]);
    expect(gather(tensor([[1, 2], [3, 4]]), tensor(1n), 1).toNested()).toEqual([2, 4]);
  });
  it("rejects out-of-range and float indices and scalar x", () => {
    expect(() => gather(tensor([1, 2, 3]), tensor([3], { dtype: "int32" }))).toThrow(ValueError);
    expect(() => gather(tensor([1, 2, 3]), tensor([-4n]))).toThrow(/gather: index -4 at position 0 is out of range for axis 0 of size 3/);
    expect(() => gather(tensor([1, 2, 3]), tensor([0]))).toThrow(/gather: argument indices: expected dtype int32 or int64, got float32/);
    expect(() => gather(tensor(1), tensor([0n]))).toThrow(ShapeError);
    expect(() => gather(tensor([1]), tensor([0n]), 1)).toThrow(ShapeError);
  });
});

describe("expand", () => {
  it.each([
    [[2, 1], [2, 3], [2, 3]],
    [[2, 1], [3, 1, 1], [3, 2, 1]],
    [[3], [2, 1], [2, 3]],
    [[], [2, 2], [2, 2]],
    [[1, 4], [1], [1, 4]],
    [[1, 3], [0, 3], [0, 3]],
  ])("x %j to %j gives %j with x[i mod extent]", (shape, target, expectedShape) => {
    const x = arange(shape.reduce((p, d) => p * d, 1), undefined, 1, "int32").reshape(shape);
    const y = expand(x, target);
    expect(y.shape).toEqual(expectedShape);
    const lead = expectedShape.length - shape.length;
    for (let flat = 0; flat < y.size; flat++) {
      const o = unravel(flat, expectedShape);
      expect(y.data[flat]).toBe(x.get(...o.slice(lead).map((k, a) => k % shape[a])));
    }
  });
  it("rejects shapes that do not broadcast", () => {
    expect(() => expand(tensor([1, 2, 3]), [2])).toThrow(/expand: cannot broadcast shapes \[3\] and \[2\]/);
    expect(() => expand(tensor([1]), [-1])).toThrow(ShapeError);
  });
});

describe("pad", () => {
  /** Reference: NumPy's definitions per mode, one output element at a time. */
  const reference = (x: Tensor, pads: number[], mode: PadMode, value: number) => {
    const rank = x.ndim;
    const shape = x.shape.map((d, a) => d + pads[a] + pads[a + rank]);
    const values: number[] = [];
    for (let flat = 0; flat < shape.reduce((p, d) => p * d, 1); flat++) {
      const o = unravel(flat, shape);
      const i = o.map((k, a) => k - pads[a]);
      const source = i.map((k, a) => {
        const d = x.shape[a];
        if (mode === "edge") return Math.min(Math.max(k, 0), d - 1);
        if (mode === "reflect") {
          if (d === 1) return 0; // a single element reflects onto itself
          // Reflect step by step until inside: -k, or 2(d - 1) - k.
          while (k < 0 || k >= d) k = k < 0 ? -k : 2 * (d - 1) - k;
        }
        return k;
      });
      const inside = source.every((k, a) => k >= 0 && k < x.shape[a]);
      values.push(inside ? x.get(...source) : value);
    }
    return { shape, values };
  };
  it.each([
    { shape: [3], pads: [2, 1] },
    { shape: [2, 3], pads: [1, 0, 0, 2] },
    { shape: [2, 3], pads: [0, 5, 1, 4] },
    { shape: [3, 4], pads: [-1, 1, 1, -2] },
    { shape: [2, 1, 3], pads: [1, 2, 0, 0, 1, 2] },
  ])("x $shape, pads $pads, every mode", ({ shape, pads }) => {
    const x = new Generator(4).normal(shape, { dtype: "float64" });
    for (const mode of ["constant", "reflect", "edge"] as const) {
      const y = pad(x, pads, mode, 2.5);
      const expected = reference(x, pads, mode, 2.5);
      expect(y.shape).toEqual(expected.shape);
      expect(y.toArray()).toEqual(expected.values);
    }
  });
  it("matches hand-checked rows and pads integer and bool tensors", () => {
    expect(pad(tensor([1, 2, 3]), [2, 2], "reflect").toArray()).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect(pad(tensor([1, 2, 3]), [2, 2], "edge").toArray()).toEqual([1, 1, 1, 2, 3, 3, 3]);
    expect(pad(tensor([1n, 2n]), [1, 1], "constant", -7).toNested()).toEqual([-7n, 1n, 2n, -7n]);
    expect(pad(tensor([1, 2], { dtype: "int32" }), [0, 1], "constant", 9).toArray()).toEqual([1, 2, 9]);
    expect(pad(tensor([true], { dtype: "bool" }), [1, 0]).toNested()).toEqual([false, true]);
    expect(pad(tensor(4), []).toNested()).toBe(4);
  });
  it("rejects bad pads, modes and values", () => {
    expect(() => pad(tensor([1, 2]), [1])).toThrow(/pad: pads must be 2 integers for x of shape \[2\], got \[1\]/);
    expect(() => pad(tensor([1, 2]), [-2, -1])).toThrow(/crop x of shape \[2\] below zero/);
    expect(() => pad(tensor([1, 2]), [1, 1], "wrap" as never)).toThrow(ValueError);
    expect(() => pad(tensor([1n]), [1, 1], "constant", 0.5)).toThrow(/value 0.5 is not an integer/);
    expect(() => pad(tensor([], { dtype: "float64" }), [1, 0], "reflect")).toThrow(/cannot reflect-pad axis 0 of size 0/);
  });
});

describe("tile", () => {
  it.each([
    [[2, 3], [2, 1]],
    [[2, 3], [1, 3]],
    [[3], [4]],
    [[2, 1, 2], [2, 3, 0]],
    [[], []],
  ])("x %j repeated %j: out[o] = x[o mod extent]", (shape, repeats) => {
    const x = arange(shape.reduce((p, d) => p * d, 1), undefined, 1, "int64").reshape(shape);
    const y = tile(x, repeats);
    const expectedShape = shape.map((d, a) => d * repeats[a]);
    expect(y.shape).toEqual(expectedShape);
    expect(y.dtype).toBe("int64");
    for (let flat = 0; flat < y.size; flat++) {
      const o = unravel(flat, expectedShape);
      expect(Number(y.data[flat])).toBe(x.get(...o.map((k, a) => k % shape[a])));
    }
  });
  it("rejects repeats of the wrong length or sign", () => {
    expect(() => tile(tensor([1, 2]), [2, 2])).toThrow(/tile: repeats must be 1 non-negative integers for x of shape \[2\]/);
    expect(() => tile(tensor([1, 2]), [-1])).toThrow(ShapeError);
  });
});

describe("oneHot", () => {
  it.each([
    { axis: -1, expected: [[1, 0, 0], [0, 0, 1], [0, 0, 1], [0, 0, 0]] },
    { axis: 0, expected: [[1, 0, 0, 0], [0, 0, 0, 0], [0, 1, 1, 0]] },
  ])("encodes indices along axis $axis; out-of-range rows are all off", ({ axis, expected }) => {
    expect(oneHot(tensor([0, 2, -1, 3], { dtype: "int32" }), 3, "float64", { axis }).toNested()).toEqual(expected);
  });
  it("matches a naive encoding for a 2-D index tensor, every axis, custom values and dtypes", () => {
    const idx = new Generator(6).integers(-4, 6, [2, 3], "int64");
    for (const axis of [0, 1, 2, -1, -3]) {
      const y = oneHot(idx, 4, "int64", { axis, values: [-1, 5] });
      const a = axis < 0 ? axis + 3 : axis;
      const shape = [2, 3];
      shape.splice(a, 0, 4);
      expect(y.shape).toEqual(shape);
      for (let flat = 0; flat < y.size; flat++) {
        const o = unravel(flat, shape);
        const k = o[a];
        const rest = o.filter((_, i) => i !== a);
        const v = idx.get(...rest);
        expect(y.data[flat]).toBe((v < 0 ? v + 4 : v) === k ? 5n : -1n);
      }
    }
    expect(oneHot(tensor([1], { dtype: "int32" }), 2, "bool").toNested()).toEqual([[false, true]]);
  });
  it("rejects float indices, bad depth, bad axis and non-integer values for integer dtypes", () => {
    expect(() => oneHot(tensor([0]), 2)).toThrow(DTypeError);
    expect(() => oneHot(tensor([0n]), 0)).toThrow(/oneHot: depth must be a positive integer, got 0/);
    expect(() => oneHot(tensor([0n]), 2, "float32", { axis: 2 })).toThrow(ShapeError);
    expect(() => oneHot(tensor([0n]), 2, "int32", { values: [0, 0.5] })).toThrow(ValueError);
  });
});
