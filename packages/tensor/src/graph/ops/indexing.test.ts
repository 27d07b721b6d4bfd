import { describe, expect, it } from "vitest";
import { ShapeError } from "../../errors.js";
import { arange, tensor, type Tensor } from "../../tensor.js";
import type { Dim, ValueType } from "../ir.js";
import { UNKNOWN_DIM } from "../symbolic-dim.js";
import { getOperator } from "./index.js";

const f32 = (...shape: Dim[]): ValueType => ({ dtype: "float32", shape });
const i64 = (...values: number[]) => tensor(values, { dtype: "int64" });
const typeOf = (t: Tensor): ValueType => ({ dtype: t.dtype, shape: [...t.shape] });
const BIG = 2 ** 62;

/** Python slicing of a list, the reference for one axis. */
function pySlice(values: number[], start: number, end: number, step: number): number[] {
  const n = values.length;
  const norm = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const out: number[] = [];
  if (step > 0) for (let i = norm(start, 0, n); i < norm(end, 0, n); i += step) out.push(values[i]);
  else for (let i = norm(start, -1, n - 1); i > norm(end, -1, n - 1); i += step) out.push(values[i]);
  return out;
}

describe("Slice", () => {
  it.each<[number, number, number]>([
    [1, 4, 1],
    [-3, BIG, 1],
    [0, -1, 2],
    [5, 0, -1],
    [-1, -BIG, -1],
    [-1, -BIG, -2],
    [10, 20, 1],
    [-20, 3, 1],
    [4, 2, 1],
  ])("[%i:%i:%i] matches Python slicing", (start, end, step) => {
    const x = arange(6);
    const constants = [undefined, i64(start), i64(end), i64(0), i64(step)];
    const inputs = [x, ...constants.slice(1)] as Tensor[];
    const expected = pySlice(x.toArray(), start, end, step);
    expect(getOperator("Slice").evaluate(inputs)[0].toArray()).toEqual(expected);
    expect(getOperator("Slice").inferTypes(inputs.map(typeOf), {}, constants)).toEqual([f32(expected.length)]);
  });

  it("slices several axes, with default axes and steps", () => {
    const x = arange(24).reshape([2, 3, 4]);
    const [y] = getOperator("Slice").evaluate([x, i64(1, 0), i64(2, 2)]);
    expect(y.shape).toEqual([1, 2, 4]);
    expect(y.toArray()).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it.each<[number, number, Dim]>([
    [1, BIG, "batch-1"],
    [-2, BIG, 2],
    [0, BIG, "batch"],
    [0, 3, UNKNOWN_DIM],
  ])("on a symbolic axis, [%i:%i] gives %j", (start, end, extent) => {
    const constants = [undefined, i64(start), i64(end), i64(0)];
    const types = [f32("batch", 3), typeOf(i64(0)), typeOf(i64(0)), typeOf(i64(0))];
    expect(getOperator("Slice").inferTypes(types, {}, constants)).toEqual([f32(extent, 3)]);
  });

  it("knows only the rank when the bounds are not constant, and rejects a zero step", () => {
    const types = [f32("batch", 3), typeOf(i64(0)), typeOf(i64(0))];
    expect(getOperator("Slice").inferTypes(types)).toEqual([f32(UNKNOWN_DIM, UNKNOWN_DIM)]);
    expect(() => getOperator("Slice").evaluate([arange(3), i64(0), i64(2), i64(0), i64(0)])).toThrow('input 4 ("steps") must not contain 0');
  });
});

describe("Gather", () => {
  it("takes entries along an axis", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const gather = getOperator("Gather");
    expect(gather.inferTypes([f32("batch", 3), { dtype: "int64", shape: [2, 2] }], { axis: 1 })).toEqual([f32("batch", 2, 2)]);
    expect(gather.evaluate([x, i64(2, 0)], { axis: 1 })[0].toNested()).toEqual([[3, 1], [6, 4]]);
    expect(gather.evaluate([x, tensor(1, { dtype: "int32" })])[0].toNested()).toEqual([4, 5, 6]);
    expect(() => gather.inferTypes([f32(2, 3), { dtype: "float32", shape: [1] }])).toThrow('input 1 ("indices") must be int32 or int64');
  });
});

describe("Expand", () => {
  it("broadcasts both ways", () => {
    const expand = getOperator("Expand");
    const shape = i64(3, 1, 1);
    expect(expand.inferTypes([f32("batch", 1), typeOf(shape)], {}, [undefined, shape])).toEqual([f32(3, "batch", 1)]);
    expect(expand.inferTypes([f32("batch", 1), typeOf(shape)])).toEqual([f32(UNKNOWN_DIM, UNKNOWN_DIM, UNKNOWN_DIM)]);
    const [y] = expand.evaluate([tensor([[1], [2]]), i64(2, 3)]);
    expect(y.toNested()).toEqual([[1, 1, 1], [2, 2, 2]]);
  });
});

describe("Pad", () => {
  it.each<[string, number[], number[][]]>([
    ["constant", [1, 0, 0, 1], [[7, 7, 7], [1, 2, 7], [3, 4, 7]]],
    ["edge", [0, 1, 1, 0], [[1, 1, 2], [3, 3, 4], [3, 3, 4]]],
    ["reflect", [1, 0, 0, 0], [[3, 4], [1, 2], [3, 4]]],
    ["constant", [-1, 0, 0, 0], [[3, 4]]],
  ])("%s pads %j", (mode, pads, expected) => {
    const x = tensor([[1, 2], [3, 4]]);
    const pad = getOperator("Pad");
    const [y] = pad.evaluate([x, i64(...pads), tensor(7)], { mode });
    expect(y.toNested()).toEqual(expected);
    const [type] = pad.inferTypes([f32("batch", 2), typeOf(i64(...pads))], { mode }, [undefined, i64(...pads)]);
    expect(type.shape[1]).toBe(expected[0].length);
    expect(type.shape[0]).toBe(pads[0] + pads[2] === 0 ? "batch" : `batch${pads[0] + pads[2] > 0 ? "+" : ""}${pads[0] + pads[2]}`);
  });

  it("rejects pads of the wrong length and unknown modes", () => {
    expect(() => getOperator("Pad").evaluate([arange(3), i64(1)])).toThrow(ShapeError);
    expect(() => getOperator("Pad").evaluate([arange(3), i64(1, 1)], { mode: "wrap" })).toThrow('attribute "mode" must be one of constant, reflect, edge');
  });
});

describe("Tile", () => {
  it("repeats along each axis", () => {
    const tile = getOperator("Tile");
    expect(tile.inferTypes([f32("batch", 2), typeOf(i64(2, 3))], {}, [undefined, i64(2, 3)])).toEqual([f32("batch*2", 6)]);
    expect(tile.evaluate([tensor([[1, 2]]), i64(2, 2)])[0].toNested()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(() => tile.evaluate([tensor([[1, 2]]), i64(2)])).toThrow('input 1 ("repeats") must hold 2 non-negative entries');
  });
});

describe("OneHot", () => {
  it("adds a depth axis holding [off, on]", () => {
    const oneHot = getOperator("OneHot");
    const depth = i64(3);
    const values = tensor([0, 5], { dtype: "float64" });
    expect(oneHot.inferTypes([{ dtype: "int64", shape: ["batch"] }, typeOf(depth), typeOf(values)], {}, [undefined, depth])).toEqual([
      { dtype: "float64", shape: ["batch", 3] },
    ]);
    expect(oneHot.inferTypes([{ dtype: "int64", shape: ["batch"] }, typeOf(depth), typeOf(values)], { axis: 0 })).toEqual([
      { dtype: "float64", shape: [UNKNOWN_DIM, "batch"] },
    ]);
    const [y] = oneHot.evaluate([i64(0, 2, -1), depth, values]);
    expect(y.toNested()).toEqual([[5, 0, 0], [0, 0, 5], [0, 0, 5]]);
    expect(() => oneHot.inferTypes([{ dtype: "int64", shape: [2] }, typeOf(depth), { dtype: "float32", shape: [3] }])).toThrow("must hold [off, on]");
  });
});
