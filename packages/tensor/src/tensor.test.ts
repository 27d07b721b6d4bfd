import { describe, expect, it } from "vitest";
import { arange, concat, eye, full, linspace, ones, stack, tensor, Tensor, zeros } from "./tensor.js";
import { CurvError, ShapeError } from "./errors.js";

describe("Tensor construction", () => {
  it("builds from nested arrays, typed arrays and factories", () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float64Array);
    expect(tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe("int32");
    expect(tensor([1n, 2n]).dtype).toBe("int64");
    expect(tensor([true, false]).toNested()).toEqual([true, false]);
    expect(tensor(2.5).shape).toEqual([]);
    expect(zeros([2, 2]).toArray()).toEqual([0, 0, 0, 0]);
    expect(ones([3], "int64").toNested()).toEqual([1n, 1n, 1n]);
    expect(full([2], 7, "int32").toArray()).toEqual([7, 7]);
    expect(eye(2, 3, "float64").toNested()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25, "float64").toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5, "float64").toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it("rejects ragged arrays, wrong sizes and bad shapes with typed errors", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/needs 4 elements/);
    expect(() => new Tensor("float32", [-1])).toThrow(CurvError);
    expect(() => new Tensor("float32", [2], new Float64Array(2) as never)).toThrow(/storage is float64/);
  });
});

describe("Tensor manipulation", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  it("reshapes with an inferred extent and rejects impossible shapes", () => {
    expect(a.reshape([3, -1]).toNested()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => a.reshape([4, -1])).toThrow(ShapeError);
    expect(() => a.reshape([-1, -1])).toThrow(/at most one -1/);
  });
  it("transposes and permutes against index arithmetic", () => {
    expect(a.transpose().toNested()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const b = arange(24).reshape([2, 3, 4]);
    const p = b.permute([2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(p.get(k, i, j)).toBe(b.get(i, j, k));
    expect(() => b.permute([0, 0, 1])).toThrow(ShapeError);
  });
  it("slices with indices, ranges, negative steps", () => {
    expect(a.slice(1).toArray()).toEqual([4, 5, 6]);
    expect(a.slice(null, [1, null]).toNested()).toEqual([[2, 3], [5, 6]]);
    expect(a.slice(null, [null, null, -1]).toNested()).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(a.slice([-1, null], -1).toNested()).toEqual([6]);
    expect(() => a.slice(2)).toThrow(/out of range/);
  });
  it("concatenates and stacks", () => {
    expect(concat([a, a], 1).toNested()).toEqual([[1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6]]);
    expect(stack([a, a], 0).shape).toEqual([2, 2, 3]);
    expect(() => concat([a, tensor([1, 2])])).toThrow(ShapeError);
  });
  it("converts dtypes and renders readably", () => {
    expect(tensor([1.7, -1.7]).astype("int32").toArray()).toEqual([1, -1]);
    expect(tensor([0, 2]).astype("bool").toNested()).toEqual([false, true]);
    expect(a.toString()).toBe("Tensor(float32, [2, 3]) [[1, 2, 3],\n [4, 5, 6]]");
    expect(arange(100).toString()).toContain("...");
  });
});
