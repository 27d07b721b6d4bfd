import { describe, expect, it } from "vitest";
import { ShapeError } from "../errors.js";
import type { Dim } from "./ir.js";
import { addDims, broadcastDims, dimsAgree, dimsMayBeEqual, divideDims, multiplyDims, UNKNOWN_DIM } from "./symbolic-dim.js";

describe("multiplyDims", () => {
  it.each<[Dim[], Dim]>([
    [[2, 3, 4], 24],
    [[], 1],
    [["batch", 7, 3], "batch*21"],
    [[7, "batch"], "batch*7"],
    [["seq", "batch"], "batch*seq"],
    [["batch*7", 3], "batch*21"],
    [["batch", 0], 0],
    [["batch", 1], "batch"],
    [["n+1", 2], "(n+1)*2"],
    [["batch", UNKNOWN_DIM], UNKNOWN_DIM],
    [[UNKNOWN_DIM, 0], 0],
  ])("%j -> %j", (dims, expected) => {
    expect(multiplyDims(dims)).toBe(expected);
  });
});

describe("divideDims", () => {
  it.each<[Dim, Dim, Dim]>([
    [12, 4, 3],
    [12, 5, UNKNOWN_DIM],
    ["batch*21", 7, "batch*3"],
    ["batch*21", 21, "batch"],
    ["batch*21", "batch", 21],
    ["batch*seq", "seq", "batch"],
    ["batch", "seq", UNKNOWN_DIM],
    ["batch*3", 2, UNKNOWN_DIM],
    [UNKNOWN_DIM, 1, UNKNOWN_DIM],
  ])("%j / %j -> %j", (a, b, expected) => {
    expect(divideDims(a, b)).toBe(expected);
  });
});

describe("addDims", () => {
  it.each<[Dim[], Dim]>([
    [[2, 3], 5],
    [["batch", 2], "batch+2"],
    [["batch+2", 3], "batch+5"],
    [["batch", -2], "batch-2"],
    [["batch-2", 2], "batch"],
    [["n", "batch"], "batch+n"],
    [["batch*2", 1], "batch*2+1"],
    [["batch", UNKNOWN_DIM], UNKNOWN_DIM],
  ])("%j -> %j", (dims, expected) => {
    expect(addDims(dims)).toBe(expected);
  });
});

describe("broadcastDims", () => {
  it.each<[Dim[][], Dim[]]>([
    [[[2, 1, 3], [4, 1]], [2, 4, 3]],
    [[["batch", 1], [5]], ["batch", 5]],
    [[["batch", 3], [1, 3]], ["batch", 3]],
    [[["batch"], [4]], [4]],
    [[["batch"], ["batch"]], ["batch"]],
    [[["batch"], ["n"]], [UNKNOWN_DIM]],
    [[[], [2, 2]], [2, 2]],
  ])("%j -> %j", (shapes, expected) => {
    expect(broadcastDims(shapes)).toEqual(expected);
  });

  it("throws a ShapeError naming both shapes when numbers clash", () => {
    expect(() => broadcastDims([["batch", 3], [4]])).toThrow(ShapeError);
    expect(() => broadcastDims([["batch", 3], [4]])).toThrow("[batch, 3] and [4]");
  });
});

describe("comparisons", () => {
  it.each<[Dim, Dim, boolean, boolean]>([
    [3, 3, true, true],
    [3, 4, false, false],
    ["batch", 4, true, false],
    ["batch", "batch", true, true],
    [UNKNOWN_DIM, 4, true, true],
    [4, UNKNOWN_DIM, true, true],
  ])("%j vs %j: may be equal %j, agree %j", (a, b, mayBeEqual, agree) => {
    expect(dimsMayBeEqual(a, b)).toBe(mayBeEqual);
    expect(dimsAgree(a, b)).toBe(agree);
  });
});
