import { Generator, Tensor, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { Block30DiagonalMatrix, Block3DiagonalMatrix } from "./block-diagonal-matrix.js";
import { DenseMatrix } from "./dense-matrix.js";
import { DiagonalMatrix } from "./diagonal-matrix.js";
import { Hierarchical15_15Matrix, Hierarchical3_2Matrix, HierarchicalStructure } from "./hierarchical-structure.js";
import {
  TrilBottomRightDiagonalMatrix, TrilTopLeftDiagonalMatrix, TriuBottomRightDiagonalMatrix, TriuTopLeftDiagonalMatrix,
} from "./sparse-triangular-structures.js";
import type { Structure } from "./structure.js";
import { TrilToeplitzMatrix } from "./tril-toeplitz-matrix.js";
import { TriuToeplitzMatrix } from "./triu-toeplitz-matrix.js";

// The stored tensors of each structure, their order and shapes, as SINGD
// lays them out (singd.md §1): block remainders at the bottom right, the
// hierarchical fill cases, the recursive templates' "B first" order and their
// 0 × 0 sub-blocks at n = 1.

const LAYOUTS: [Structure, number, [string, number[]][]][] = [
  [DenseMatrix, 3, [["mat", [3, 3]]]],
  [DiagonalMatrix, 4, [["diag", [4]]]],
  [Block3DiagonalMatrix, 7, [["blocks", [2, 3, 3]], ["last", [1, 1]]]],
  [Block3DiagonalMatrix, 6, [["blocks", [2, 3, 3]], ["last", [0, 0]]]],
  [Block3DiagonalMatrix, 2, [["blocks", [0, 3, 3]], ["last", [2, 2]]]],
  [Block30DiagonalMatrix, 100, [["blocks", [3, 30, 30]], ["last", [10, 10]]]],
  [Hierarchical3_2Matrix, 2, [["A", [2, 2]], ["B", [2, 0]], ["C", [0]], ["D", [0, 0]], ["E", [0, 0]]]],
  [Hierarchical3_2Matrix, 3, [["A", [3, 3]], ["B", [3, 0]], ["C", [0]], ["D", [0, 0]], ["E", [0, 0]]]],
  [Hierarchical3_2Matrix, 4, [["A", [3, 3]], ["B", [3, 1]], ["C", [0]], ["D", [1, 0]], ["E", [1, 1]]]],
  [Hierarchical3_2Matrix, 5, [["A", [3, 3]], ["B", [3, 2]], ["C", [0]], ["D", [2, 0]], ["E", [2, 2]]]],
  [Hierarchical3_2Matrix, 6, [["A", [3, 3]], ["B", [3, 3]], ["C", [1]], ["D", [2, 1]], ["E", [2, 2]]]],
  [Hierarchical15_15Matrix, 100, [["A", [15, 15]], ["B", [15, 85]], ["C", [70]], ["D", [15, 70]], ["E", [15, 15]]]],
  [TrilToeplitzMatrix, 5, [["lowerDiagonals", [5]]]],
  [TriuToeplitzMatrix, 5, [["upperDiagonals", [5]]]],
  [TrilBottomRightDiagonalMatrix, 1, [["B", [0, 1]], ["A.mat", [1, 1]], ["C.diag", [0]]]],
  [TrilBottomRightDiagonalMatrix, 4, [["B", [3, 1]], ["A.mat", [1, 1]], ["C.diag", [3]]]],
  [TrilTopLeftDiagonalMatrix, 1, [["B", [1, 0]], ["A.diag", [0]], ["C.mat", [1, 1]]]],
  [TrilTopLeftDiagonalMatrix, 4, [["B", [1, 3]], ["A.diag", [3]], ["C.mat", [1, 1]]]],
  [TriuBottomRightDiagonalMatrix, 4, [["B", [1, 3]], ["A.mat", [1, 1]], ["C.diag", [3]]]],
  [TriuTopLeftDiagonalMatrix, 4, [["B", [3, 1]], ["A.diag", [3]], ["C.mat", [1, 1]]]],
];

describe("stored tensors", () => {
  it.each(LAYOUTS.map(([s, n, layout]) => [s.structureName, n, s, layout] as const))("%s, n = %i", (_, n, structure, layout) => {
    const dense = new Generator(n).uniform([n, n], { dtype: "float64" });
    for (const k of [structure.fromDense(dense), structure.zeros(n), structure.eye(n, "float32")]) {
      expect(k.namedTensors().map(([name, t]) => [name, [...t.shape]])).toEqual(layout);
      const elements = layout.reduce((s, [, shape]) => s + shape.reduce((p, d) => p * d, 1), 0);
      expect(k.byteLength).toBe(elements * (k.dtype === "float64" ? 8 : 4));
    }
  });
});

describe("documented examples", () => {
  const f64 = (rows: number[][]) => tensor(rows, { dtype: "float64" });
  const s3 = f64([[1, 2, 3], [2, 4, 5], [3, 5, 6]]);

  it.each([
    ["triltoeplitz of [[2, 1], [1, 3]]", TrilToeplitzMatrix.fromDense(f64([[2, 1], [1, 3]])), [[2.5, 0], [2, 2.5]]],
    ["triltoeplitz of [[1, 2], [2, 3]]", TrilToeplitzMatrix.fromDense(f64([[1, 2], [2, 3]])), [[2, 0], [4, 2]]],
    ["triutoeplitz of [[1, 2], [2, 3]]", TriuToeplitzMatrix.fromDense(f64([[1, 2], [2, 3]])), [[2, 4], [0, 2]]],
    ["its square", TriuToeplitzMatrix.fromDense(f64([[1, 2], [2, 3]])).matmul(TriuToeplitzMatrix.fromDense(f64([[1, 2], [2, 3]]))), [[4, 16], [0, 4]]],
    ["dense KᵀK", DenseMatrix.fromDense(f64([[1, 2], [3, 4]])).fromInner(), [[10, 14], [14, 20]]],
    ["diagonal", DiagonalMatrix.fromDense(f64([[1, 5], [5, 2]])), [[1, 0], [0, 2]]],
    ["hierarchical3_2 at n = 3: one dense block", Hierarchical3_2Matrix.fromDense(s3), [[1, 2, 3], [2, 4, 5], [3, 5, 6]]],
    ["hierarchical1_1 at n = 3: K1 = d = K2 = 1", new HierarchicalStructure(1, 1).fromDense(s3), [[1, 4, 6], [0, 4, 0], [0, 10, 6]]],
    ["triubottomrightdiagonal", TriuBottomRightDiagonalMatrix.fromDense(s3), [[1, 4, 6], [0, 4, 0], [0, 0, 6]]],
    ["triutopleftdiagonal", TriuTopLeftDiagonalMatrix.fromDense(s3), [[1, 0, 6], [0, 4, 10], [0, 0, 6]]],
    ["trilbottomrightdiagonal", TrilBottomRightDiagonalMatrix.fromDense(s3), [[1, 0, 0], [4, 4, 0], [6, 0, 6]]],
    ["triltopleftdiagonal", TrilTopLeftDiagonalMatrix.fromDense(s3), [[1, 0, 0], [0, 4, 0], [6, 10, 6]]],
    ["block3diagonal of a 4 × 4 matrix", Block3DiagonalMatrix.fromDense(f64([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]])),
      [[1, 2, 3, 0], [5, 6, 7, 0], [9, 10, 11, 0], [0, 0, 0, 16]]],
  ])("%s", (_, k, expected) => {
    expect(k.toDense().toNested()).toEqual(expected);
  });

  it("keeps the caller's tensor out of DenseMatrix's in-place updates", () => {
    const s = f64([[1, 2], [3, 4]]);
    DenseMatrix.fromDense(s).mulInPlace(2).diagAddInPlace(1);
    expect(s.toNested()).toEqual([[1, 2], [3, 4]]);
  });

  it("uses the true transpose in block-diagonal rmatmat, where SINGD multiplies by K", () => {
    const k = Block3DiagonalMatrix.fromDense(f64([[1, 2], [3, 4]]));
    const unit = new Tensor("float64", [2, 2], Float64Array.of(1, 0, 0, 1));
    expect(k.rmatmat(unit).toNested()).toEqual([[1, 3], [2, 4]]);
    expect(k.fromInner().toDense().toNested()).toEqual([[10, 14], [14, 20]]);
  });
});
