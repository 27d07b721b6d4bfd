import { DTypeError, ShapeError, Tensor, ValueError, tensor, type FloatDType } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { BlockDiagonalMatrix, BlockDiagonalStructure, Block3DiagonalMatrix } from "./block-diagonal-matrix.js";
import { DenseMatrix } from "./dense-matrix.js";
import { DiagonalMatrix } from "./diagonal-matrix.js";
import { HierarchicalMatrix } from "./hierarchical-matrix.js";
import { Hierarchical3_2Matrix, HierarchicalStructure } from "./hierarchical-structure.js";
import { RecursiveTopRightMatrix } from "./recursive-top-right-matrix.js";
import { RecursiveTopRightStructure } from "./recursive-structure.js";
import { TriuBottomRightDiagonalMatrix } from "./sparse-triangular-structures.js";
import type { StructuredMatrix } from "./structured-matrix.js";
import { STRUCTURE_CASES } from "./testing/structure-cases.js";

// Bad input gets a typed error that names the argument, and a failed in-place
// update leaves the object as it was.

const square = <D extends FloatDType = "float64">(n: number, dtype: D = "float64" as D): Tensor<D> => {
  const t = new Tensor(dtype, [n, n]);
  t.data.forEach((_, i) => (t.data[i] = ((i * 7) % 5) - 2));
  return t;
};

type ErrorClass = typeof ShapeError | typeof DTypeError | typeof ValueError;

describe.each(STRUCTURE_CASES.map((c) => [c.structure.structureName, c.structure] as const))("%s", (_, structure) => {
  const k = () => structure.fromDense(square(4)) as StructuredMatrix<"float64">;
  const other = (n: number, dtype: FloatDType = "float64") => structure.fromDense(square(n, dtype)) as StructuredMatrix<"float64">;
  const foreign = () => (structure.structureName === "diagonal" ? DenseMatrix : DiagonalMatrix).fromDense(square(4)) as StructuredMatrix<"float64">;

  const cases: [string, () => unknown, ErrorClass, RegExp][] = [
    ["fromDense of a vector", () => structure.fromDense(tensor([1, 2], { dtype: "float64" })), ShapeError, /fromDense: dense: expected a square matrix/],
    ["fromDense of a 2 × 3 matrix", () => structure.fromDense(new Tensor("float64", [2, 3])), ShapeError, /got shape \[2, 3\]/],
    ["fromDense of int32", () => structure.fromDense(new Tensor("int32", [2, 2]) as never), DTypeError, /float32 or float64, got int32/],
    ["fromDense of an array", () => structure.fromDense([[1]] as never), ValueError, /expected a Tensor/],
    ["fromMatInner of a vector", () => structure.fromMatInner(tensor([1, 2], { dtype: "float64" })), ShapeError, /fromMatInner: X/],
    ["matmat with 3 rows", () => k().matmat(new Tensor("float64", [3, 2])), ShapeError, /matmat: X: expected a matrix of shape \[4, m\], got shape \[3, 2\]/],
    ["matmat with a vector", () => k().matmat(new Tensor("float64", [4]) as never), ShapeError, /matmat: X/],
    ["matmat with float32", () => k().matmat(new Tensor("float32", [4, 2]) as never), DTypeError, /expected dtype float64 \(the structure's\), got float32/],
    ["rmatmat with 5 rows", () => k().rmatmat(new Tensor("float64", [5, 1])), ShapeError, /rmatmat: X/],
    ["fromInner with 3 rows", () => k().fromInner(new Tensor("float64", [3, 2])), ShapeError, /fromInner: X/],
    ["fromInner2 of a 4 × 3 matrix", () => k().fromInner2(new Tensor("float64", [4, 3])), ShapeError, /fromInner2: XXT/],
    ["fromInner2 of a 3 × 3 matrix", () => k().fromInner2(square(3)), ShapeError, /fromInner2: XXT/],
    ["fromInner2 of float32", () => k().fromInner2(square(4, "float32") as never), DTypeError, /fromInner2: XXT/],
    ["add of another structure", () => k().add(foreign()), ValueError, /add: expected a .* matrix, got a .* matrix/],
    ["sub of another size", () => k().sub(other(5)), ShapeError, /sub: expected a 4 × 4 matrix, got 5 × 5/],
    ["matmul of another structure", () => k().matmul(foreign()), ValueError, /matmul: expected/],
    ["matmul of another dtype", () => k().matmul(other(4, "float32")), DTypeError, /matmul: expected dtype float64, got float32/],
    ["add of something else", () => k().add(square(4) as never), ValueError, /add: expected a/],
    ["mul by NaN", () => k().mul(NaN), ValueError, /mul: scalar: expected a finite number, got NaN/],
    ["zeros of a negative size", () => structure.zeros(-1), ValueError, /zeros: dim/],
    ["eye of a fractional size", () => structure.eye(1.5), ValueError, /dim: expected a non-negative integer/],
    ["zeros of int32", () => structure.zeros(2, "int32" as never), DTypeError, /zeros: dtype/],
  ];
  it.each(cases)("%s", (_, run, errorClass, message) => {
    expect(run).toThrow(errorClass);
    expect(run).toThrow(message);
  });

  const failedUpdates: [string, (m: StructuredMatrix<"float64">) => unknown, ErrorClass][] = [
    ["addInPlace of another structure", (m) => m.addInPlace(foreign()), ValueError],
    ["addInPlace of another size", (m) => m.addInPlace(other(3)), ShapeError],
    ["addInPlace of another dtype", (m) => m.addInPlace(other(4, "float32")), DTypeError],
    ["addInPlace with alpha = Infinity", (m) => m.addInPlace(other(4), Infinity), ValueError],
    ["mulInPlace by NaN", (m) => m.mulInPlace(NaN), ValueError],
    ["mulInPlace by a string", (m) => m.mulInPlace("2" as never), ValueError],
    ["diagAddInPlace of -Infinity", (m) => m.diagAddInPlace(-Infinity), ValueError],
  ];
  it.each(failedUpdates)("%s throws and changes nothing", (_, update, errorClass) => {
    const m = k();
    const before = m.namedTensors().map(([, t]) => [...t.data]);
    expect(() => update(m)).toThrow(errorClass);
    expect(m.namedTensors().map(([, t]) => [...t.data])).toEqual(before);
  });
});

describe("constructors", () => {
  const f64 = (shape: number[]) => new Tensor("float64", shape);
  it.each([
    ["DenseMatrix of a 2 × 3 matrix", () => new DenseMatrix(f64([2, 3])), ShapeError],
    ["DiagonalMatrix of a matrix", () => new DiagonalMatrix(f64([2, 2])), ShapeError],
    ["BlockDiagonalMatrix with 2-D blocks", () => new BlockDiagonalMatrix(f64([3, 3]), f64([0, 0])), ShapeError],
    ["BlockDiagonalMatrix with last as large as a block", () => new BlockDiagonalMatrix(f64([1, 3, 3]), f64([3, 3])), ShapeError],
    ["BlockDiagonalMatrix with mixed dtypes", () => new BlockDiagonalMatrix(f64([1, 3, 3]), new Tensor("float32", [1, 1]) as never), DTypeError],
    ["BlockDiagonalStructure of size 0", () => new BlockDiagonalStructure(0), ValueError],
    ["HierarchicalStructure with a negative limit", () => new HierarchicalStructure(-1, 2), ValueError],
    ["HierarchicalMatrix with B too narrow", () => new HierarchicalMatrix(Hierarchical3_2Matrix, {
      A: f64([3, 3]), B: f64([3, 2]), C: f64([1]), D: f64([2, 1]), E: f64([2, 2]),
    }), ShapeError],
    ["HierarchicalMatrix with a float32 part", () => new HierarchicalMatrix(Hierarchical3_2Matrix, {
      A: f64([3, 3]), B: f64([3, 3]), C: new Tensor("float32", [1]) as never, D: f64([2, 1]), E: f64([2, 2]),
    }), DTypeError],
    ["RecursiveTopRightStructure with both limits", () => new RecursiveTopRightStructure({
      structureName: "both", structureA: DenseMatrix, structureC: DiagonalMatrix, maxDimA: 1, maxDimC: 1,
    }), ValueError],
    ["RecursiveTopRightStructure with neither limit", () => new RecursiveTopRightStructure({
      structureName: "neither", structureA: DenseMatrix, structureC: DiagonalMatrix,
    }), ValueError],
    ["RecursiveTopRightMatrix with A of the wrong structure", () => new RecursiveTopRightMatrix(
      TriuBottomRightDiagonalMatrix, DiagonalMatrix.eye(1), f64([1, 2]), DiagonalMatrix.eye(2),
    ), ValueError],
    ["RecursiveTopRightMatrix with B of the wrong shape", () => new RecursiveTopRightMatrix(
      TriuBottomRightDiagonalMatrix, DenseMatrix.eye(1), f64([2, 1]), DiagonalMatrix.eye(2),
    ), ShapeError],
    ["RecursiveTopRightMatrix with A too large", () => new RecursiveTopRightMatrix(
      TriuBottomRightDiagonalMatrix, DenseMatrix.eye(2), f64([2, 1]), DiagonalMatrix.eye(1),
    ), ShapeError],
  ] as [string, () => unknown, ErrorClass][])("%s", (_, run, errorClass) => {
    expect(run).toThrow(errorClass);
  });

  it("Block3DiagonalMatrix refuses to add a block4diagonal matrix of the same size", () => {
    const s = new Tensor("float64", [8, 8]);
    expect(() => Block3DiagonalMatrix.fromDense(s).add(new BlockDiagonalStructure(4).fromDense(s) as never)).toThrow(
      /add: expected a block3diagonal matrix, got a block4diagonal matrix/,
    );
  });
});
