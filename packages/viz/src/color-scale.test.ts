import { describe, expect, it } from "vitest";
import { ValueError } from "@curv/tensor";
import { colorOf, colorScaleFor, type ColorScaleOptions } from "./color-scale.js";
import { logAbs } from "./transform.js";

describe("colorScaleFor", () => {
  it.each([
    ["extremes of all matrices", [[[1, 5]], [[-2, 3]]], {}, -2, 5],
    ["given limits", [[[1, 5]]], { vmin: 0, vmax: 10 }, 0, 10],
    ["one given limit", [[[1, 5]]], { vmax: 8 }, 1, 8],
    ["NaN and infinities ignored", [[[NaN, 2, Infinity, -Infinity, 4]]], {}, 2, 4],
    ["transformed units", [[[0, -1e-5, 100]]], { transform: logAbs({ min: 1e-10 }) }, -10, 2],
    ["a constant matrix", [[[3, 3]]], {}, 3, 3],
    ["no finite entry", [[[NaN]]], {}, 0, 0],
    ["no finite entry, one limit", [[[NaN]]], { vmax: 2 }, 2, 2],
  ] as [string, number[][][], ColorScaleOptions, number, number][])("uses %s", (_, matrices, options, vmin, vmax) => {
    const scale = colorScaleFor(matrices, options);
    expect([scale.vmin, scale.vmax]).toEqual([vmin, vmax]);
  });

  it.each([
    [{ vmin: 2, vmax: 1 }, /vmin \(2\) must not exceed vmax \(1\)$/],
    [{ vmin: 9 }, /vmin \(9\) must not exceed vmax \(5\) \(a missing limit was taken from the data\)/],
    [{ vmin: NaN }, /vmin must be a finite number, got NaN/],
    [{ vmax: Infinity }, /vmax must be a finite number, got Infinity/],
    [{ vmin: "0" as unknown as number }, /vmin must be a finite number/],
    [{ nanColor: "not-a-colour" }, /nanColor/],
  ] as [ColorScaleOptions, RegExp][])("rejects %j", (options, message) => {
    expect(() => colorScaleFor([[[1, 5]]], options)).toThrow(ValueError);
    expect(() => colorScaleFor([[[1, 5]]], options)).toThrow(message);
  });
});

describe("colorOf", () => {
  const viridis = { 0: [68, 1, 84, 255], 85: [49, 104, 142, 255], 170: [53, 183, 121, 255], 255: [253, 231, 37, 255] };

  // matplotlib: Normalize(0, 3) then the 256-entry viridis table gives #440154, #31688e, #35b779, #fde725.
  it.each([
    [0, viridis[0]],
    [1, viridis[85]],
    [2, viridis[170]],
    [3, viridis[255]],
    [-7, viridis[0]], // below vmin: lowest colour
    [99, viridis[255]], // above vmax: highest colour
  ])("colours %d on [0, 3] as matplotlib does", (value, rgba) => {
    expect(colorOf(colorScaleFor([], { vmin: 0, vmax: 3 }), value)).toEqual(rgba);
  });

  it.each([NaN, Infinity, -Infinity])("gives nanColor to %d", (value) => {
    expect(colorOf(colorScaleFor([], { vmin: 0, vmax: 1 }), value)).toEqual([0, 0, 0, 0]);
    expect(colorOf(colorScaleFor([], { vmin: 0, vmax: 1, nanColor: "red" }), value)).toEqual([255, 0, 0, 255]);
  });

  it("gives every entry of a constant matrix the lowest colour", () => {
    expect(colorOf(colorScaleFor([[[4, 4]]]), 4)).toEqual(viridis[0]);
  });

  it("colours transformed values (matplotlib: #21918c for |-1e-5| on log10 limits [-10, 0])", () => {
    const scale = colorScaleFor([], { vmin: -10, vmax: 0, transform: logAbs({ min: 1e-10 }) });
    expect(colorOf(scale, -1e-5)).toEqual([33, 145, 140, 255]);
    expect(colorOf(scale, 0)).toEqual(viridis[0]);
  });
});
