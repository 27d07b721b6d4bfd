import { describe, expect, it } from "vitest";
import { ValueError } from "@curv/tensor";
import { createCanvas } from "@napi-rs/canvas";
import { drawHeatmap, type DrawHeatmapOptions, type ScratchCanvas } from "./canvas.js";

// A real 2-D canvas (Skia, from @napi-rs/canvas) stands in for the browser's.
function draw(matrix: number[][], size: number, options: DrawHeatmapOptions = {}) {
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext("2d");
  const scale = drawHeatmap(ctx as unknown as CanvasRenderingContext2D, matrix, {
    createCanvas: (w, h) => createCanvas(w, h) as unknown as ScratchCanvas,
    ...options,
  });
  const pixels = ctx.getImageData(0, 0, size, size).data;
  const at = (x: number, y: number) => Array.from(pixels.subarray((y * size + x) * 4, (y * size + x) * 4 + 4));
  return { scale, at };
}

describe("drawHeatmap", () => {
  it.each([
    // matplotlib's viridis with Normalize(0, 3); NaN stays transparent.
    [5, 5, [68, 1, 84, 255]],
    [35, 5, [49, 104, 142, 255]],
    [5, 35, [53, 183, 121, 255]],
    [35, 35, [0, 0, 0, 0]],
  ])("fills the canvas: pixel (%d, %d) is %j", (x, y, rgba) => {
    expect(draw([[0, 1], [2, NaN]], 40, { vmin: 0, vmax: 3 }).at(x, y)).toEqual(rgba);
  });

  it("keeps cell edges sharp when scaling up", () => {
    const { at } = draw([[0, 3]], 40, { height: 20 });
    expect(at(19, 10)).toEqual([68, 1, 84, 255]);
    expect(at(20, 10)).toEqual([253, 231, 37, 255]);
  });

  it("draws into the given box only, and returns the scale it used", () => {
    const { at, scale } = draw([[1, 5]], 40, { x: 10, y: 20, width: 20, height: 10, nanColor: "red" });
    expect([scale.vmin, scale.vmax]).toEqual([1, 5]);
    expect(at(5, 25)).toEqual([0, 0, 0, 0]);
    expect(at(12, 25)).toEqual([68, 1, 84, 255]);
    expect(at(12, 15)).toEqual([0, 0, 0, 0]);
  });

  it.each([
    [{ width: 0 }, /positive size/],
    [{ x: NaN }, /x must be a finite number/],
    [{ vmin: 2, vmax: 1 }, /vmin \(2\) must not exceed vmax \(1\)/],
  ])("rejects %j", (options, message) => {
    expect(() => draw([[1]], 10, options)).toThrow(ValueError);
    expect(() => draw([[1]], 10, options)).toThrow(message);
  });

  it("asks for a scratch canvas where none can be made", () => {
    const ctx = createCanvas(4, 4).getContext("2d") as unknown as CanvasRenderingContext2D;
    expect(() => drawHeatmap(ctx, [[1]])).toThrow(/pass options.createCanvas/);
  });
});
