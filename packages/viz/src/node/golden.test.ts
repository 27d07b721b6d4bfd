import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { decode } from "fast-png";
import { GOLDEN_FILE, GOLDEN_MATRIX, GOLDEN_OPTIONS } from "./golden/heatmap-4x4.js";
import { heatmapPng } from "./png.js";

// Per channel, a pixel may differ by TOLERANCE (anti-aliasing of text and
// lines may shift slightly between resvg builds); at most MAX_OFF_FRACTION of
// pixels may differ by more. Matrix cells have exact colours and would show up
// as large blocks of differing pixels.
const TOLERANCE = 24;
const MAX_OFF_FRACTION = 0.002;

describe("golden image", () => {
  it("renders heatmap-4x4.png again, within tolerance", () => {
    const golden = decode(readFileSync(GOLDEN_FILE));
    const actual = decode(heatmapPng(GOLDEN_MATRIX, GOLDEN_OPTIONS));
    expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
    let off = 0;
    for (let p = 0; p < golden.data.length; p += 4) {
      for (let c = 0; c < 4; c++) {
        if (Math.abs(actual.data[p + c] - golden.data[p + c]) > TOLERANCE) { off++; break; }
      }
    }
    expect(off / (golden.width * golden.height)).toBeLessThanOrEqual(MAX_OFF_FRACTION);
  });

  it("notices a change: a different matrix is far from the golden image", () => {
    const golden = decode(readFileSync(GOLDEN_FILE));
    const other = decode(heatmapPng(GOLDEN_MATRIX.map((row) => row.map((v) => -v)), GOLDEN_OPTIONS));
    let off = 0;
    for (let p = 0; p < golden.data.length; p += 4) if (Math.abs(other.data[p] - golden.data[p]) > TOLERANCE) off++;
    expect(off / (golden.width * golden.height)).toBeGreaterThan(0.05);
  });
});
