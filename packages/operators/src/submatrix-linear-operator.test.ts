import { Generator, ValueError, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { DiagonalLinearOperator } from "./diagonal-linear-operator.js";
import { SubmatrixLinearOperator } from "./submatrix-linear-operator.js";
import { asFloat64, denseProduct, denseSlice, expectClose } from "./testing/dense-reference.js";

const matrix = new Generator(1).normal([6, 5], { dtype: "float64" });
const a = new DenseLinearOperator(matrix);

describe("SubmatrixLinearOperator", () => {
  const selections: [string, number[], number[]][] = [
    ["a leading block", [0, 1, 2], [0, 1]],
    ["rows and columns out of order", [5, 0, 3], [4, 2, 0]],
    ["one entry", [2], [3]],
    ["all rows, reversed columns", [0, 1, 2, 3, 4, 5], [4, 3, 2, 1, 0]],
    ["no rows", [], [1, 2]],
  ];
  it.each(selections)("%s equals slicing the dense matrix, for products, transposed products and toDense", async (_, rows, cols) => {
    const sub = new SubmatrixLinearOperator(a, rows, cols);
    const expected = denseSlice(matrix, rows, cols);
    expect(sub.shape).toEqual([rows.length, cols.length]);
    expectClose(await sub.toDense(), expected, { rtol: 0, atol: 0 });
    const m = new Generator(2).normal([cols.length, 3], { dtype: "float64" });
    expectClose(await sub.matmat(m), denseProduct(expected, m), { rtol: 1e-14, atol: 1e-15 });
    const w = new Generator(3).normal([rows.length, 2], { dtype: "float64" });
    expectClose(await sub.rmatmat(w), denseProduct(asFloat64(expected).transpose(), w), { rtol: 1e-14, atol: 1e-15 });
    const adjoint = sub.adjoint() as SubmatrixLinearOperator<"float64">;
    expect([adjoint.rowIdxs, adjoint.colIdxs]).toEqual([cols, rows]);
  });

  it("multiplies A once per product, with all K columns at a time", async () => {
    let calls = 0;
    const counting = new (class extends DenseLinearOperator<"float64"> {
      protected override async matmatImpl(x: typeof matrix) {
        calls++;
        return super.matmatImpl(x);
      }
    })(matrix);
    await new SubmatrixLinearOperator(counting, [1, 2], [0, 3, 4]).toDense();
    expect(calls).toBe(1);
  });

  it("is self-adjoint when A is and the same indices select rows and columns", () => {
    const d = new DiagonalLinearOperator(tensor([1, 2, 3, 4], { dtype: "float64" }));
    const principal = new SubmatrixLinearOperator(d, [3, 1], [3, 1]);
    expect(principal.isSelfAdjoint).toBe(true);
    expect(principal.adjoint()).toBe(principal);
    expect(new SubmatrixLinearOperator(d, [3, 1], [1, 3]).isSelfAdjoint).toBe(false);
    expect(new SubmatrixLinearOperator(a, [1], [1]).isSelfAdjoint).toBe(false);
  });

  const bad: [string, unknown[], unknown[], RegExp][] = [
    ["a fractional row", [0, 1.5], [0], /rowIdxs\[1\] = 1\.5 is not an integer/],
    ["NaN", [0], [Number.NaN], /colIdxs\[0\] = NaN is not an integer/],
    ["a string", ["1"], [0], /rowIdxs\[0\] = 1 is not an integer/],
    ["a negative row", [-1], [0], /rowIdxs\[0\] = -1 is out of range for A's 6 rows \(valid: 0 to 5\)/],
    ["a row past the end", [2, 6], [0], /rowIdxs\[1\] = 6 is out of range for A's 6 rows/],
    ["a column past the end", [0], [5], /colIdxs\[0\] = 5 is out of range for A's 5 columns \(valid: 0 to 4\)/],
    ["a repeated row", [3, 1, 3], [0], /rowIdxs\[2\] = 3 repeats rowIdxs\[0\]; indices must be unique/],
    ["a repeated column", [0], [2, 2], /colIdxs\[1\] = 2 repeats colIdxs\[0\]/],
  ];
  it.each(bad)("rejects %s with a ValueError naming it", (_, rows, cols, message) => {
    const build = () => new SubmatrixLinearOperator(a, rows as number[], cols as number[]);
    expect(build).toThrow(ValueError);
    expect(build).toThrow(message);
  });

  it("rejects index lists that are not arrays and an A that is not an operator", () => {
    expect(() => new SubmatrixLinearOperator(a, new Set([1]) as never, [0])).toThrow(/rowIdxs must be an array of integers/);
    expect(() => new SubmatrixLinearOperator(matrix as never, [0], [0])).toThrow(/A must be a LinearOperator/);
  });
});
