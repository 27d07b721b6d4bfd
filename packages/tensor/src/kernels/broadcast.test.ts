import { describe, expect, it } from "vitest";
import { ShapeError } from "../errors.js";
import { broadcastShapesOf, broadcastStrides, forEachBroadcastRow } from "./broadcast.js";

describe("broadcastShapesOf", () => {
  it.each([
    [[[2, 3], [3]], [2, 3]],
    [[[4, 1, 3], [2, 1], []], [4, 2, 3]],
    [[[1], [0]], [0]],
    [[[], []], []],
  ] as [number[][], number[]][])("%j -> %j", (shapes, expected) => {
    expect(broadcastShapesOf(shapes, "test")).toEqual(expected);
  });
  it("names the caller and every shape when shapes clash", () => {
    expect(() => broadcastShapesOf([[2, 3], [1], [4]], "where")).toThrow(ShapeError);
    expect(() => broadcastShapesOf([[2, 3], [1], [4]], "where")).toThrow("where: cannot broadcast shapes [2, 3] and [1] and [4]");
  });
});

describe("forEachBroadcastRow", () => {
  const rows = (outShape: number[], shapes: number[][]) => {
    const seen: [number, number[], number, number[]][] = [];
    forEachBroadcastRow(outShape, shapes.map((s) => broadcastStrides(s, outShape)), (o, offsets, n, strides) => {
      seen.push([o, [...offsets], n, [...strides]]);
    });
    return seen;
  };
  it("merges axes every operand walks contiguously into one row", () => {
    expect(rows([8, 4, 5], [[8, 4, 5], [8, 4, 5]])).toEqual([[0, [0, 0], 160, [1, 1]]]);
  });
  it("visits 32 rows of 5 for [8, 4, 5] + [5], the broadcast operand restarting each row", () => {
    const seen = rows([8, 4, 5], [[8, 4, 5], [5]]);
    expect(seen.length).toBe(32);
    seen.forEach(([o, offsets, n, strides], r) => expect([o, offsets, n, strides]).toEqual([5 * r, [5 * r, 0], 5, [1, 1]]));
  });
  it("gives stride 0 along a row an operand is broadcast over", () => {
    expect(rows([2, 3], [[2, 3], [2, 1]])).toEqual([
      [0, [0, 0], 3, [1, 0]],
      [3, [3, 1], 3, [1, 0]],
    ]);
  });
  it("visits a scalar once and an empty output never", () => {
    expect(rows([], [[], []])).toEqual([[0, [0, 0], 1, [0, 0]]]);
    expect(rows([1, 1], [[1], [1, 1]])).toEqual([[0, [0, 0], 1, [0, 0]]]);
    expect(rows([0, 3], [[0, 3], [3]])).toEqual([]);
  });
});
