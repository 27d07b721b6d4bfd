import { describe, expect, it } from "vitest";
import type { DType } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import { tensor, type Tensor } from "../tensor.js";
import { cast } from "./cast.js";

describe("cast follows ONNX Cast", () => {
  const floats = [1.9, -1.9, 0, -0.5, 3e9];
  it.each([
    ["float64", "int32", floats, [1, -1, 0, 0, 3e9 - 2 ** 32]],
    ["float64", "int64", floats, [1n, -1n, 0n, 0n, 3000000000n]],
    ["float64", "bool", [NaN, 0, -0, 2], [true, false, false, true]],
    ["float64", "float32", [0.1, 1e40], [Math.fround(0.1), Infinity]],
    ["float32", "float64", [0.5, -2], [0.5, -2]],
    ["int32", "float32", [16777217, -3], [16777216, -3]],
    ["int32", "int64", [-2147483648, 7], [-2147483648n, 7n]],
    ["int32", "bool", [0, -3], [false, true]],
    ["int64", "int32", [2n ** 32n + 5n, -(2n ** 31n) - 1n], [5, 2147483647]],
    ["int64", "float64", [2n ** 53n + 1n, -4n], [2 ** 53, -4]],
    ["int64", "bool", [0n, -(2n ** 62n)], [false, true]],
    ["bool", "float64", [true, false], [1, 0]],
    ["bool", "int64", [true, false], [1n, 0n]],
  ] as [DType, DType, (number | bigint | boolean)[], (number | bigint | boolean)[]][])("%s to %s", (from, to, input, expected) => {
    const x = tensor(input as number[], { dtype: from });
    const y = cast(x, to);
    expect(y.dtype).toBe(to);
    expect(y.shape).toEqual([input.length]);
    expect(y.toNested()).toEqual(expected);
  });
  it("copies when the dtype does not change", () => {
    const x = tensor([1, 2]);
    const y = cast(x, "float32");
    expect(y.data).not.toBe(x.data);
    expect(y.toArray()).toEqual([1, 2]);
  });
  it("keeps the shape", () => {
    expect(cast(tensor([[1.5], [2.5]]) as Tensor, "int32").shape).toEqual([2, 1]);
  });
  it("throws for non-finite values to integers and for unknown dtypes", () => {
    expect(() => cast(tensor([1, NaN]), "int64")).toThrow(ValueError);
    expect(() => cast(tensor([Infinity]), "int32")).toThrow(/cast: element 0 is Infinity, which has no int32 value/);
    expect(() => cast(tensor([1]), "float16" as never)).toThrow(DTypeError);
  });
});
