import { describe, expect, it } from "vitest";
import { GraphError, ShapeError } from "../../errors.js";
import { arange, tensor, type Tensor } from "../../tensor.js";
import type { Dim, ValueType } from "../ir.js";
import { UNKNOWN_DIM } from "../symbolic-dim.js";
import { getOperator } from "./index.js";

const f32 = (...shape: Dim[]): ValueType => ({ dtype: "float32", shape });
const i64 = (...values: number[]) => tensor(values, { dtype: "int64" });
const shapeOfInts = (t: Tensor): ValueType => ({ dtype: "int64", shape: [...t.shape] });

describe("Transpose", () => {
  it("reverses axes by default and permutes by perm", () => {
    const transpose = getOperator("Transpose");
    expect(transpose.inferTypes([f32("batch", 3, 4)])).toEqual([f32(4, 3, "batch")]);
    expect(transpose.inferTypes([f32("batch", 3, 4)], { perm: [0, 2, 1] })).toEqual([f32("batch", 4, 3)]);
    const x = arange(6).reshape([2, 3]);
    expect(transpose.evaluate([x])[0].toNested()).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  it("rejects a perm that is not a permutation", () => {
    expect(() => getOperator("Transpose").inferTypes([f32(2, 3)], { perm: [0, 0] }))
      .toThrow('Transpose: attribute "perm" [0, 0] is not a permutation of the 2 axes');
  });
});

describe("Reshape", () => {
  it.each<[Dim[], number[], number, Dim[]]>([
    [[2, 3, 4], [6, -1], 0, [6, 4]],
    [["batch", 7, 3], [0, -1], 0, ["batch", 21]],
    [["batch", 21], [-1, 3, 7], 0, ["batch", 3, 7]],
    [["batch", 6], [0, 2, 3], 0, ["batch", 2, 3]],
    [[2, 0], [0, 5], 1, [0, 5]],
    [["batch", 6], [3, -1], 0, [3, "batch*2"]],
    [["batch", 6], [4, -1], 0, [4, UNKNOWN_DIM]],
  ])("%j with shape %j (allowzero %i) -> %j", (input, target, allowzero, expected) => {
    const [type] = getOperator("Reshape").inferTypes([f32(...input), shapeOfInts(i64(...target))], { allowzero }, [undefined, i64(...target)]);
    expect(type).toEqual(f32(...expected));
  });

  it("knows only the rank when the shape is not constant", () => {
    expect(getOperator("Reshape").inferTypes([f32("batch", 6), { dtype: "int64", shape: [3] }])).toEqual([f32(UNKNOWN_DIM, UNKNOWN_DIM, UNKNOWN_DIM)]);
  });

  it("evaluates with 0 and -1", () => {
    const [y] = getOperator("Reshape").evaluate([arange(24).reshape([2, 3, 4]), i64(0, -1)]);
    expect(y.shape).toEqual([2, 12]);
    expect(y.toArray()).toEqual(arange(24).toArray());
  });

  it.each<[number[], string]>([
    [[5, -1], "24 elements do not split into parts of 5"],
    [[-1, -1], "at most one -1"],
    [[2, 2], "24 elements cannot become 4"],
    [[0, 0, 0, 0], "0 at position 3 copies an extent the input does not have"],
  ])("rejects shape %j", (target, message) => {
    const call = () => getOperator("Reshape").inferTypes([f32(2, 3, 4), shapeOfInts(i64(...target))], {}, [undefined, i64(...target)]);
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(message);
  });
});

describe("Flatten", () => {
  it.each<[Dim[], number, Dim[]]>([
    [["batch", 3, 4], 1, ["batch", 12]],
    [["batch", 3, 4], 0, [1, "batch*12"]],
    [["batch", 3, 4], 3, ["batch*12", 1]],
    [["batch", 3, 4], -1, ["batch*3", 4]],
  ])("%j at axis %i -> %j", (input, axis, expected) => {
    expect(getOperator("Flatten").inferTypes([f32(...input)], { axis })).toEqual([f32(...expected)]);
  });

  it("evaluates and rejects an axis out of range", () => {
    expect(getOperator("Flatten").evaluate([arange(24).reshape([2, 3, 4])], { axis: 2 })[0].shape).toEqual([6, 4]);
    expect(() => getOperator("Flatten").inferTypes([f32(2, 3)], { axis: 4 })).toThrow('attribute "axis" is 4, out of range');
  });
});

describe("Squeeze and Unsqueeze", () => {
  it("squeeze drops the given axes, or every extent-1 axis of a static shape", () => {
    const squeeze = getOperator("Squeeze");
    expect(squeeze.inferTypes([f32("batch", 1, 3, 1), shapeOfInts(i64(-1, 1))], {}, [undefined, i64(-1, 1)])).toEqual([f32("batch", 3)]);
    expect(squeeze.inferTypes([f32(1, 3, 1)])).toEqual([f32(3)]);
    expect(squeeze.evaluate([arange(3).reshape([1, 3, 1])])[0].shape).toEqual([3]);
    expect(squeeze.evaluate([arange(3).reshape([1, 3, 1]), i64(0)])[0].shape).toEqual([3, 1]);
  });

  it("squeeze rejects extents other than 1, symbolic shapes without axes, and non-constant axes", () => {
    const squeeze = getOperator("Squeeze");
    expect(() => squeeze.inferTypes([f32(2, 3), shapeOfInts(i64(0))], {}, [undefined, i64(0)])).toThrow("its extent is not 1");
    expect(() => squeeze.inferTypes([f32("batch", 1)])).toThrow(ShapeError);
    expect(() => squeeze.inferTypes([f32(1, 3), { dtype: "int64", shape: [1] }])).toThrow('input 1 ("axes") must be a constant');
  });

  it("unsqueeze inserts axes of the output rank", () => {
    const unsqueeze = getOperator("Unsqueeze");
    expect(unsqueeze.inferTypes([f32("batch", 3), shapeOfInts(i64(0, -1))], {}, [undefined, i64(0, -1)])).toEqual([f32(1, "batch", 3, 1)]);
    expect(unsqueeze.evaluate([arange(6).reshape([2, 3]), i64(1)])[0].shape).toEqual([2, 1, 3]);
    expect(() => unsqueeze.inferTypes([f32(2), shapeOfInts(i64(0, 0))], {}, [undefined, i64(0, 0)])).toThrow("repeat an axis");
    expect(() => unsqueeze.inferTypes([f32(2), shapeOfInts(i64(0))])).toThrow(GraphError);
  });
});

describe("Concat", () => {
  it("adds extents along the axis", () => {
    const concat = getOperator("Concat");
    expect(concat.inferTypes([f32("batch", 3), f32("batch", 4), f32("batch", 1)], { axis: 1 })).toEqual([f32("batch", 8)]);
    expect(concat.inferTypes([f32("batch", 3), f32(2, 3)], { axis: 0 })).toEqual([f32("batch+2", 3)]);
    expect(concat.inferTypes([f32("n", 3), f32(2, 3)], { axis: 1 })).toEqual([f32(2, 6)]);
    const [y] = concat.evaluate([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])], { axis: 0 });
    expect(y.toNested()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it("rejects mismatched extents, ranks and a missing axis", () => {
    const concat = getOperator("Concat");
    expect(() => concat.inferTypes([f32(2, 3), f32(2, 4)], { axis: 0 })).toThrow("does not match [2, 3] off axis 0");
    expect(() => concat.inferTypes([f32(2, 3), f32(2)], { axis: 0 })).toThrow("input 1 has rank 1");
    expect(() => concat.inferTypes([f32(2, 3)])).toThrow('Concat: attribute "axis" is required but missing');
  });
});
