import { describe, expect, it } from "vitest";
import { ShapeError, tensor, ValueError, zeros } from "@curv/tensor";
import { readMatrix, type MatrixLike } from "./matrix.js";

describe("readMatrix", () => {
  it.each([
    ["nested rows", [[1, 2, 3], [4, 5, 6]], 2, 3, [1, 2, 3, 4, 5, 6]],
    ["float32 tensor", tensor([[1.5, -2], [3, 4]]), 2, 2, [1.5, -2, 3, 4]],
    ["float64 tensor", tensor([[0.1, 0.2]], { dtype: "float64" }), 1, 2, [0.1, 0.2]],
    ["int64 tensor", tensor([[1n], [2n], [3n]]), 3, 1, [1, 2, 3]],
    ["rows with NaN", [[NaN, Infinity]], 1, 2, [NaN, Infinity]],
    ["a tensor from another copy of @curv/tensor", { dtype: "float64", shape: [1, 2], data: new Float64Array([7, 8]) }, 1, 2, [7, 8]],
  ] as [string, MatrixLike, number, number, number[]][])("reads %s", (_, input, rows, cols, values) => {
    const m = readMatrix(input);
    expect([m.rows, m.cols]).toEqual([rows, cols]);
    expect(Array.from(m.values)).toEqual(values);
  });

  it.each([
    ["a 1-D tensor", tensor([1, 2, 3]), ShapeError, /2-D tensor, got shape \[3\]/],
    ["a 3-D tensor", zeros([2, 2, 2]), ShapeError, /got shape \[2, 2, 2\]/],
    ["a tensor with no columns", zeros([3, 0]), ShapeError, /at least one row and one column/],
    ["no rows", [], ShapeError, /got shape \[0, 0\]/],
    ["an empty row", [[]], ShapeError, /got shape \[1, 0\]/],
    ["ragged rows", [[1, 2], [3]], ShapeError, /row 1 has 1 entries, row 0 has 2/],
    ["a 1-D array", [1, 2, 3], ShapeError, /1-D array/],
    ["a string entry", [[1, "2"]], ValueError, /entry \[0, 1\] is string 2/],
    ["not an array", 42, ValueError, /got number 42/],
  ])("rejects %s", (_, input, ErrorClass, message) => {
    expect(() => readMatrix(input as MatrixLike, "m")).toThrow(ErrorClass);
    expect(() => readMatrix(input as MatrixLike, "m")).toThrow(message);
  });

  it("names the argument in errors", () => {
    expect(() => readMatrix(tensor([1]), "panels[3].matrix")).toThrow(/^panels\[3\]\.matrix: /);
  });
});
