import { LinAlgError, ShapeError, Tensor, ValueError, tensor, type FloatDType } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { BlockDiagonalLinearOperator } from "./block-diagonal-linear-operator.js";
import { isInvertible, type InvertibleLinearOperator } from "./damped-inverse.js";
import { DenseLinearOperator } from "./dense-linear-operator.js";
import { DiagonalLinearOperator } from "./diagonal-linear-operator.js";
import { EigendecomposedLinearOperator } from "./eigendecomposed-linear-operator.js";
import { IdentityLinearOperator } from "./identity-linear-operator.js";
import { KroneckerProductLinearOperator } from "./kronecker-product-linear-operator.js";
import { expectClose } from "./testing/dense-reference.js";

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: "float64" });
const eigendecomposed = <D extends FloatDType>(lambda: number[], dtype: D) =>
  new EigendecomposedLinearOperator(tensor(lambda, { dtype }), tensor([[0.6, -0.8], [0.8, 0.6]], { dtype }));

const OPERATORS: [string, () => InvertibleLinearOperator][] = [
  ["identity", () => new IdentityLinearOperator(2)],
  ["diagonal", () => new DiagonalLinearOperator(f64([1, 2]))],
  ["dense", () => new DenseLinearOperator(f64([[2, 1], [1, 2]]))],
  ["eigendecomposed", () => eigendecomposed([1, 3], "float64")],
  ["kron", () => new KroneckerProductLinearOperator(f64([[2]]), f64([[1, 0], [0, 3]]))],
  ["block-diagonal", () => new BlockDiagonalLinearOperator([new IdentityLinearOperator(1), new DiagonalLinearOperator(f64([4]))])],
];

describe("damping values", () => {
  it.each(OPERATORS)("%s rejects non-finite damping with a ValueError", (_, build) => {
    for (const damping of [NaN, Infinity, -Infinity, "1" as never]) {
      expect(() => build().inverse(damping)).toThrow(ValueError);
      expect(() => build().inverse(damping)).toThrow(/\.inverse: damping must be a finite number/);
    }
  });

  it.each(OPERATORS)("%s accepts negative damping that leaves the matrix nonsingular", async (_, build) => {
    const op = build();
    // Every operator above has eigenvalues >= 1, so A - 0.5 I has eigenvalues >= 0.5.
    const inverse = op.inverse(-0.5);
    const v = f64([1, -2]);
    const av = await op.matvec(v);
    const shifted = new Tensor("float64", [2], Float64Array.from(av.data, (x, i) => x - 0.5 * v.data[i]));
    expectClose(await inverse.matvec(shifted as Tensor<FloatDType>), v, { rtol: 1e-12, atol: 1e-14 });
  });

  it("isInvertible tells building blocks from composites", () => {
    for (const [, build] of OPERATORS) expect(isInvertible(build())).toBe(true);
    const d = new DiagonalLinearOperator(f64([1, 2]));
    expect(isInvertible(d.add(new DenseLinearOperator(f64([[1, 0], [0, 1]]))))).toBe(false);
  });
});

describe("singular damped matrices", () => {
  const singular: [string, () => unknown, new (...args: never[]) => Error, RegExp][] = [
    ["identity with damping -1", () => new IdentityLinearOperator(3).inverse(-1), LinAlgError, /d\[0\] \+ damping = 1 \+ -1 is zero/],
    ["diagonal with a zero entry", () => new DiagonalLinearOperator(f64([1, 0, 3])).inverse(), LinAlgError, /DiagonalLinearOperator\.inverse: d\[1\] \+ damping = 0 \+ 0 is zero/],
    ["diagonal with damping -2", () => new DiagonalLinearOperator([f64([1]), f64([[3, 2]])]).inverse(-2), LinAlgError, /d\[2\] \+ damping = 2 \+ -2/],
    ["dense with damping -1 (eigenvalues 1, 3)", () => new DenseLinearOperator(f64([[2, 1], [1, 2]])).inverse(-1), LinAlgError, /A \+ damping·I is singular \(damping -1\)/],
    ["a singular dense matrix", () => new DenseLinearOperator(f64([[1, 2], [2, 4]])).inverse(), LinAlgError, /is singular/],
    ["eigendecomposed with damping -3", () => eigendecomposed([1, 3], "float64").inverse(-3), LinAlgError, /eigenvalue 1 \+ damping = 3 \+ -3 is zero/],
    ["eigendecomposed, singular to float64 precision", () => eigendecomposed([1, 1e-17], "float64").inverse(), LinAlgError, /eigenvalue 1/],
    ["eigendecomposed, singular to float32 precision", () => eigendecomposed([1, 1e-8], "float32").inverse(), LinAlgError, /eigenvalue 1/],
    [
      "block-diagonal with a singular block",
      () => new BlockDiagonalLinearOperator([new IdentityLinearOperator(1), new DiagonalLinearOperator(f64([4, 0]))]).inverse(),
      LinAlgError,
      /d\[1\]/,
    ],
    [
      "block-diagonal with a block that has no exact inverse",
      () => new BlockDiagonalLinearOperator([new IdentityLinearOperator(1), new DenseLinearOperator(f64([[2, 1], [1, 2]])).add(new IdentityLinearOperator(2))]).inverse(),
      ValueError,
      /block 1 \(SumLinearOperator\) has no exact inverse/,
    ],
    [
      "block-diagonal with a rectangular block",
      () => new BlockDiagonalLinearOperator([new DenseLinearOperator(f64([[1, 2]]))]).inverse(),
      ShapeError,
      /needs square blocks, block 0 has shape \[1, 2\]/,
    ],
    ["a rectangular dense matrix", () => new DenseLinearOperator(f64([[1, 2]])).inverse(), ShapeError, /DenseLinearOperator\.inverse: needs a square operator/],
  ];
  it.each(singular)("%s", (_, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });

  it("a just-nonsingular eigendecomposition still inverts", async () => {
    const inverse = eigendecomposed([1, 1e-10], "float64").inverse();
    expect(inverse.eigenvalues.toArray()).toEqual([1, 1e10]);
  });
});
