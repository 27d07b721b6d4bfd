import { describe, expect, it } from "vitest";
import { ValueError } from "@curv/tensor";
import { interpolateBlues } from "d3-scale-chromatic";
import { COLORMAP_NAMES, COLORMAP_SIZE, colormap, parseColor } from "./colormap.js";

const hex = (table: Uint8Array, k: number) =>
  "#" + Array.from(table.subarray(4 * k, 4 * k + 3), (b) => b.toString(16).padStart(2, "0")).join("");

describe("colormap", () => {
  // Reference colours from matplotlib 3.11 (`colormaps[name](k / 255)`), the library curv's pictures imitate.
  it.each([
    ["viridis", 0, "#440154"],
    ["viridis", 64, "#3b528b"],
    ["viridis", 128, "#21918c"],
    ["viridis", 192, "#5ec962"],
    ["viridis", 255, "#fde725"],
    ["magma", 0, "#000004"],
    ["magma", 255, "#fcfdbf"],
    ["RdBu", 0, "#67001f"],
    ["RdBu", 255, "#053061"],
  ] as const)("%s entry %d is matplotlib's %s", (name, k, expected) => {
    expect(hex(colormap(name).table, k)).toBe(expected);
  });

  it("has 256 opaque colours for every name", () => {
    for (const name of COLORMAP_NAMES) {
      const { table } = colormap(name);
      expect(table.length).toBe(4 * COLORMAP_SIZE);
      for (let k = 0; k < COLORMAP_SIZE; k++) expect(table[4 * k + 3]).toBe(255);
    }
    expect(COLORMAP_NAMES[0]).toBe("viridis");
  });

  it("samples a custom interpolator", () => {
    const blues = colormap({ name: "blues", interpolate: interpolateBlues });
    expect(blues.name).toBe("blues");
    expect(hex(blues.table, 255)).toBe("#08306b"); // d3's darkest blue
  });

  it("rejects an unknown name with the list of known ones", () => {
    expect(() => colormap("jet" as never)).toThrow(ValueError);
    expect(() => colormap("jet" as never)).toThrow(/viridis, magma/);
  });
});

describe("parseColor", () => {
  it.each([
    ["white", [255, 255, 255, 255]],
    ["#21918c", [33, 145, 140, 255]],
    ["rgba(255, 0, 0, 0.5)", [255, 0, 0, 128]],
    ["transparent", [0, 0, 0, 0]],
  ])("parses %s", (css, rgba) => {
    expect(parseColor(css)).toEqual(rgba);
  });

  it.each(["nope", "", "#12"])("rejects %j", (css) => {
    expect(() => parseColor(css, "nanColor")).toThrow(/^nanColor: .* is not a CSS colour/);
  });
});
