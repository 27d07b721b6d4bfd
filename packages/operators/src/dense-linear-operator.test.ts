import { DTypeError, ShapeError, Tensor, ValueError, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "./dense-linear-operator.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });

describe("DenseLinearOperator", () => {
  it("swaps the blocks in the adjoint and the inverse", () => {
    const a = new DenseLinearOperator(f64([[2, 0, 0], [0, 3, 0], [0, 0, 4]]), { inputShapes: [[3]], outputShapes: [[1], [2]] });
    expect(a.adjoint().inputShapes).toEqual([[1], [2]]);
    expect(a.inverse().inputShapes).toEqual([[1], [2]]);
    expect(a.inverse().outputShapes).toEqual([[3]]);
  });

  it("is its own adjoint when the matrix is exactly symmetric on matching blocks", () => {
    const symmetric = new DenseLinearOperator(f64([[2, 1], [1, 2]]));
    expect(symmetric.adjoint()).toBe(symmetric);
    expect(new DenseLinearOperator(f64([[2, 1], [1, 2]]), { inputShapes: [[1], [1]] }).isSelfAdjoint).toBe(false);
    expect(new DenseLinearOperator(f64([[2, 1], [1 + 1e-15, 2]])).isSelfAdjoint).toBe(false);
  });

  it("hands out a copy from toDense", async () => {
    const m = f64([[1, 2], [3, 4]]);
    const dense = await new DenseLinearOperator(m).toDense();
    dense.data[0] = 10;
    expect(m.data[0]).toBe(1);
  });

  const errors: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["a vector", () => new DenseLinearOperator(f64([1, 2])), ShapeError, /matrix must be 2-D, got shape \[2\]/],
    ["an integer matrix", () => new DenseLinearOperator(new Tensor("int32", [2, 2]) as never), DTypeError, /must be float32 or float64, got int32/],
    ["a nested array", () => new DenseLinearOperator([[1]] as never), ValueError, /matrix must be a 2-D Tensor/],
    ["output blocks of the wrong size", () => new DenseLinearOperator(f64([[1, 2]]), { outputShapes: [[2]] }), ShapeError, /outputShapes \[2\] hold 2 entries, the matrix has 1/],
  ];
  it.each(errors)("rejects %s", (_, build, type, message) => {
    expect(build).toThrow(type);
    expect(build).toThrow(message);
  });
});
