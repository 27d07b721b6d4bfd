import { describe, expect, it } from "vitest";
import { tensor } from "@curv/tensor";
import { denseSubmatrix, extractBlock, parameterIndices } from "./parameter-blocks.js";

// 4 x 4 with entry (i, j) = 10 i + j, partitioned by parameters of sizes 1, 2, 1.
const matrix = tensor(Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => 10 * i + j)), { dtype: "float64" });

describe("parameter blocks", () => {
  it("gives each parameter's flat indices after the earlier parameters", () => {
    expect([0, 1, 2].map((i) => parameterIndices([1, 2, 1], i))).toEqual([[0], [1, 2], [3]]);
  });

  it("extracts block (i, j) as the seed's extract_block", () => {
    expect(extractBlock(matrix, [1, 2, 1], 1, 1).toNested()).toEqual([[11, 12], [21, 22]]);
    expect(extractBlock(matrix, [1, 2, 1], 1, 2).toNested()).toEqual([[13], [23]]);
  });

  it("slices arbitrary rows and columns in the order given", () => {
    expect(denseSubmatrix(matrix, [3, 0], [2, 1]).toNested()).toEqual([[32, 31], [2, 1]]);
  });
});
