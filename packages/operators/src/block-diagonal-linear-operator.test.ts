import { DTypeError, ShapeError, ValueError, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { BlockDiagonalLinearOperator } from "./block-diagonal-linear-operator.js";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { DiagonalLinearOperator } from "./diagonal-linear-operator.js";
import { IdentityLinearOperator } from "./identity-linear-operator.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });

describe("BlockDiagonalLinearOperator", () => {
  it("lists the blocks' own input and output blocks in order", () => {
    const op = new BlockDiagonalLinearOperator([
      new IdentityLinearOperator([[2, 3], [3]]),
      new DenseLinearOperator(f64([[1, 2, 3]]), { inputShapes: [[1], [2]], outputShapes: [[1]] }),
    ]);
    expect(op.inputShapes).toEqual([[2, 3], [3], [1], [2]]);
    expect(op.outputShapes).toEqual([[2, 3], [3], [1]]);
    expect(op.shape).toEqual([10, 12]);
  });

  it("is self-adjoint exactly when every block is", () => {
    const symmetric = new BlockDiagonalLinearOperator([new IdentityLinearOperator(2), new DiagonalLinearOperator(f64([3]))]);
    expect(symmetric.adjoint()).toBe(symmetric);
    const general = new BlockDiagonalLinearOperator([new IdentityLinearOperator(2), new DenseLinearOperator(f64([[1, 2]]))]);
    expect(general.isSelfAdjoint).toBe(false);
    expect(general.adjoint().shape).toEqual([4, 3]);
  });

  it("refuses trace and determinants with a rectangular block, naming it", async () => {
    const op = new BlockDiagonalLinearOperator([new IdentityLinearOperator(1), new DenseLinearOperator(f64([[1], [2]]))]);
    expect(op.shape).toEqual([3, 2]);
    await expect(op.trace()).rejects.toThrow(/needs square blocks, block 1 has shape \[2, 1\]/);
    await expect(op.det()).rejects.toThrow(ShapeError);
    expect(await op.frobeniusNorm()).toBeCloseTo(Math.sqrt(6), 14);
  });

  const errors: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["no blocks", () => new BlockDiagonalLinearOperator([]), ValueError, /at least one block/],
    ["a tensor block", () => new BlockDiagonalLinearOperator([f64([[1]]) as never]), ValueError, /block 0 must be a LinearOperator/],
    ["mixed dtypes", () => new BlockDiagonalLinearOperator<"float64">([new IdentityLinearOperator(1), new IdentityLinearOperator(1, "float32") as never]), DTypeError, /block 1 is float32 but block 0 is float64/],
  ];
  it.each(errors)("rejects %s", (_, build, type, message) => {
    expect(build).toThrow(type);
    expect(build).toThrow(message);
  });
});
