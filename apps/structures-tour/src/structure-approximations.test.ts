import { describe, expect, it } from "vitest";
import { tensor } from "@curv/tensor";
import { capitalize, structureApproximations } from "./structure-approximations.js";

describe("structureApproximations", () => {
  it("puts the original first, then each projection in dense form", () => {
    const dense = tensor([[1, 2], [2, 3]], { dtype: "float64" });
    const result = structureApproximations(dense, ["diagonal", "dense"]);
    expect(result.map((r) => r.name)).toEqual(["original", "diagonal", "dense"]);
    expect(result[0].matrix).toBe(dense);
    expect(result[1].matrix.toNested()).toEqual([[1, 0], [0, 3]]);
    expect(result[2].matrix.toNested()).toEqual([[1, 2], [2, 3]]);
  });
});

describe("capitalize", () => {
  it.each([
    ["original", "Original"],
    ["block30diagonal", "Block30diagonal"],
    ["hierarchical15_15", "Hierarchical15_15"],
    ["triLToeplitz", "Triltoeplitz"], // Python's capitalize lowers the rest
    ["", ""],
  ])("turns %j into %j like Python's str.capitalize", (input, expected) => {
    expect(capitalize(input)).toBe(expected);
  });
});
