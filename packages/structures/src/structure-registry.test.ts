import { ValueError } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { BlockDiagonalStructure } from "./block-diagonal-matrix.js";
import { DenseMatrix } from "./dense-matrix.js";
import { HierarchicalStructure } from "./hierarchical-structure.js";
import { TrilBottomRightDiagonalMatrix } from "./sparse-triangular-structures.js";
import { SUPPORTED_STRUCTURES, structureFromName } from "./structure-registry.js";

describe("SUPPORTED_STRUCTURES", () => {
  it("holds SINGD's names in SINGD's order, each naming itself", () => {
    expect(Object.keys(SUPPORTED_STRUCTURES)).toEqual([
      "dense", "diagonal", "block30diagonal", "hierarchical15_15", "triltoeplitz", "triutoeplitz",
    ]);
    for (const [name, structure] of Object.entries(SUPPORTED_STRUCTURES)) expect(structure.structureName).toBe(name);
    expect(Object.isFrozen(SUPPORTED_STRUCTURES)).toBe(true);
  });
});

describe("structureFromName", () => {
  it.each([
    ["dense", "dense"],
    ["triutoeplitz", "triutoeplitz"],
    ["block1diagonal", "block1diagonal"],
    ["block7diagonal", "block7diagonal"],
    ["block30diagonal", "block30diagonal"],
    ["hierarchical3_2", "hierarchical3_2"],
    ["hierarchical0_4", "hierarchical0_4"],
    ["hierarchical15_15", "hierarchical15_15"],
    ["trilbottomrightdiagonal", "trilbottomrightdiagonal"],
    ["triutopleftdiagonal", "triutopleftdiagonal"],
  ])("parses %s", (name, expected) => {
    const structure = structureFromName(name);
    expect(structure.structureName).toBe(expected);
    expect(structure.eye(4).structureName).toBe(expected);
  });

  it("returns the registry's objects for SINGD's names and parameterised families otherwise", () => {
    expect(structureFromName("dense")).toBe(DenseMatrix);
    expect(structureFromName("trilbottomrightdiagonal")).toBe(TrilBottomRightDiagonalMatrix);
    expect(structureFromName("block5diagonal")).toBeInstanceOf(BlockDiagonalStructure);
    expect((structureFromName("block5diagonal") as BlockDiagonalStructure).blockDim).toBe(5);
    const hierarchical = structureFromName("hierarchical4_9") as HierarchicalStructure;
    expect(hierarchical).toBeInstanceOf(HierarchicalStructure);
    expect([hierarchical.maxK1, hierarchical.maxK2]).toEqual([4, 9]);
  });

  it.each(["", "Dense", "dense ", "block0diagonal", "block03diagonal", "blockdiagonal", "block-3diagonal", "block3.5diagonal",
    "hierarchical3", "hierarchical3_", "hierarchical03_2", "hierarchical3_2_1", "toeplitz", "constructor", "__proto__"])(
    "rejects %j with a ValueError that lists the known names",
    (name) => {
      expect(() => structureFromName(name)).toThrow(ValueError);
      expect(() => structureFromName(name)).toThrow(/known: dense, diagonal, block30diagonal, hierarchical15_15, triltoeplitz, triutoeplitz, block\{N\}diagonal/);
    },
  );

  it("rejects a name that is not a string", () => {
    expect(() => structureFromName(30 as unknown as string)).toThrow(ValueError);
  });
});
