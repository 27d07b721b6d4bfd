import { DTypeError, Tensor, ValueError, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { DiagonalLinearOperator } from "./diagonal-linear-operator.js";
import { IdentityLinearOperator } from "./identity-linear-operator.js";
import { ProductLinearOperator, SumLinearOperator } from "./linear-operator.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });
const values = (op: unknown) => (op as DiagonalLinearOperator<"float64">).values.toArray();

describe("DiagonalLinearOperator", () => {
  const d = new DiagonalLinearOperator([f64([[1, 2], [3, 4]]), f64([5])]);
  const e = new DiagonalLinearOperator([f64([[2, 0], [1, -1]]), f64([3])]);

  it("takes its blocks from the diagonal tensors and multiplies in list format", async () => {
    expect(d.shape).toEqual([5, 5]);
    expect(d.inputShapes).toEqual([[2, 2], [1]]);
    const [square, single] = await d.matvec(d.diagonal);
    expect([square.toNested(), single.toNested()]).toEqual([[[1, 4], [9, 16]], [25]]);
  });

  const closedForms: [string, () => unknown, number[]][] = [
    ["d + e", () => d.add(e), [3, 2, 4, 3, 8]],
    ["d - e", () => d.sub(e), [-1, 2, 2, 5, 2]],
    ["-2 d", () => d.scale(-2), [-2, -4, -6, -8, -10]],
    ["d e", () => d.compose(e), [2, 0, 3, -4, 15]],
    ["(d + 1)⁻¹", () => d.inverse(1), [1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6]],
  ];
  it.each(closedForms)("%s stays diagonal with the same blocks", (_, build, expected) => {
    const result = build();
    expect(result).toBeInstanceOf(DiagonalLinearOperator);
    expect((result as DiagonalLinearOperator).inputShapes).toEqual([[2, 2], [1]]);
    expect(values(result)).toEqual(expected);
  });

  it("falls back to generic sums and products with other blocks or other kinds", () => {
    const flat = new DiagonalLinearOperator(f64([1, 2, 3, 4, 5]));
    expect(d.add(flat)).toBeInstanceOf(SumLinearOperator);
    expect(d.compose(flat)).toBeInstanceOf(ProductLinearOperator);
    const dense = new DenseLinearOperator(new Tensor("float64", [5, 5]));
    expect(d.add(dense)).toBeInstanceOf(SumLinearOperator);
  });

  it("treats the identity as a diagonal of ones", () => {
    const id = new IdentityLinearOperator([[2, 2], [1]]);
    expect(values(d.add(id))).toEqual([2, 3, 4, 5, 6]);
    expect(values(id.scale(3))).toEqual([3, 3, 3, 3, 3]);
    expect(values(id.inverse(1))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  const errors: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["an empty list", () => new DiagonalLinearOperator([]), ValueError, /at least one diagonal block/],
    ["a non-tensor block", () => new DiagonalLinearOperator([f64([1]), [2] as never]), ValueError, /diagonal\[1\] must be a Tensor/],
    ["mixed dtypes", () => new DiagonalLinearOperator<"float64">([f64([1]), tensor([2]) as never]), DTypeError, /diagonal\[1\] is float32 but diagonal\[0\] is float64/],
    ["an integer diagonal", () => new DiagonalLinearOperator(new Tensor("int32", [2]) as never), DTypeError, /must be float32 or float64, got int32/],
    ["scaling by NaN", () => d.scale(NaN), ValueError, /scalar must be a finite number/],
  ];
  it.each(errors)("rejects %s", (_, build, type, message) => {
    expect(build).toThrow(type);
    expect(build).toThrow(message);
  });
});

describe("IdentityLinearOperator", () => {
  it("takes a size or a list of shapes", () => {
    expect(new IdentityLinearOperator(4).inputShapes).toEqual([[4]]);
    expect(new IdentityLinearOperator([[2, 3], [4]], "float32").dtype).toBe("float32");
    expect(new IdentityLinearOperator([[2, 3], [4]]).shape).toEqual([10, 10]);
  });

  it.each([-1, 2.5, NaN])("rejects size %s", (size) => {
    expect(() => new IdentityLinearOperator(size)).toThrow(/size must be a non-negative integer/);
  });

  it("rejects an empty list of shapes", () => {
    expect(() => new IdentityLinearOperator([])).toThrow(/a size or a non-empty list of shapes/);
  });
});
