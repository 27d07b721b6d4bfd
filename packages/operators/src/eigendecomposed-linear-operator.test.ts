import { DTypeError, ShapeError, ValueError, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { EigendecomposedLinearOperator } from "./eigendecomposed-linear-operator.js";
import { expectClose } from "./testing/dense-reference.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });
const rotation = f64([[0.6, -0.8], [0.8, 0.6]]);

describe("EigendecomposedLinearOperator", () => {
  it("fromSymmetric reproduces the matrix and its eigenvalues", async () => {
    const a = EigendecomposedLinearOperator.fromSymmetric(f64([[2, 1], [1, 2]]));
    expectClose(a.eigenvalues, f64([1, 3]), { rtol: 1e-15, atol: 1e-15 });
    expectClose(await a.toDense(), f64([[2, 1], [1, 2]]), { rtol: 1e-14, atol: 1e-15 });
  });

  it("takes eigenvectors as an operator as well as a matrix", async () => {
    const asMatrix = new EigendecomposedLinearOperator(f64([1, 4]), rotation);
    const asOperator = new EigendecomposedLinearOperator(f64([1, 4]), new DenseLinearOperator(rotation));
    expectClose(await asOperator.toDense(), await asMatrix.toDense(), { rtol: 1e-15, atol: 1e-15 });
  });

  it("withEigenvalues keeps the eigenbasis", async () => {
    const a = new EigendecomposedLinearOperator(f64([1, 4]), rotation).withEigenvalues(f64([2, 2]));
    expect(a.eigenvectors).toBe(rotation);
    expectClose(await a.toDense(), f64([[2, 0], [0, 2]]), { rtol: 1e-15, atol: 1e-15 });
    expect(() => a.withEigenvalues(f64([1, 2, 3]))).toThrow(/withEigenvalues: expected shape \[2\], got \[3\]/);
  });

  const errors: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["2-D eigenvalues", () => new EigendecomposedLinearOperator(f64([[1, 2]]), rotation), ShapeError, /eigenvalues must be a 1-D Tensor, got \[1, 2\]/],
    ["too few eigenvalues", () => new EigendecomposedLinearOperator(f64([1]), rotation), ShapeError, /eigenvectors must have shape \[1, 1\] to match 1 eigenvalues, got \[2, 2\]/],
    ["mixed dtypes", () => new EigendecomposedLinearOperator<"float64">(f64([1, 2]), tensor([[1, 0], [0, 1]]) as never), DTypeError, /eigenvectors are float32 but eigenvalues are float64/],
    ["a nonsymmetric matrix", () => EigendecomposedLinearOperator.fromSymmetric(f64([[1, 2], [0, 1]])), ValueError, /eigh/],
  ];
  it.each(errors)("rejects %s", (_, build, type, message) => {
    expect(build).toThrow(type);
    expect(build).toThrow(message);
  });
});
