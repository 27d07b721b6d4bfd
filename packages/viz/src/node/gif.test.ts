import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "@curv/tensor";
import { GifReader } from "omggif";
import { prepareFigure } from "../figure.js";
import { layoutFigure } from "../layout.js";
import { animationGif, type AnimationFrame } from "./gif.js";

const square = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i * n + j));
const frame = (n: number, extra: Partial<AnimationFrame> = {}): AnimationFrame => ({
  panels: [{ matrix: square(n), title: `D = ${n}` }, null, { matrix: square(n) }],
  columns: 2,
  panelSize: 32,
  ...extra,
});

describe("animationGif", () => {
  const bytes = animationGif([frame(2, { delayMs: 100 }), frame(4), frame(8, { delayMs: 2500 })], { delayMs: 250 });
  const gif = new GifReader(Buffer.from(bytes));

  it("has one frame per figure, with per-frame delays in centiseconds", () => {
    expect(gif.numFrames()).toBe(3);
    expect([0, 1, 2].map((i) => gif.frameInfo(i).delay)).toEqual([10, 25, 250]);
  });

  it("loops forever by default, and plays once when asked", () => {
    expect(gif.loopCount()).toBe(0);
    const once = new GifReader(Buffer.from(animationGif([frame(2)], { loop: false })));
    expect(once.loopCount()).toBeNull();
  });

  it("draws each frame's figure: matrix entries in viridis, within a 256-colour palette's error", () => {
    const { panels, delayMs: _, ...options } = frame(2);
    const { image } = layoutFigure(prepareFigure(panels, options)).panels[0];
    const pixels = new Uint8Array(gif.width * gif.height * 4);
    gif.decodeAndBlitFrameRGBA(0, pixels);
    const rgbAt = (x: number, y: number) => Array.from(pixels.subarray((y * gif.width + x) * 4, (y * gif.width + x) * 4 + 3));
    // Entries 0 and 3 of [[0, 1], [2, 3]]: #440154 and #fde725.
    const near = (actual: number[], expected: number[]) => actual.forEach((c, k) => expect(Math.abs(c - expected[k])).toBeLessThanOrEqual(8));
    near(rgbAt(image.x + 2, image.y + 2), [68, 1, 84]);
    near(rgbAt(image.x + image.width - 2, image.y + image.height - 2), [253, 231, 37]);
  });

  it.each([
    ["no frames", [], {}, ValueError, /at least one frame/],
    ["a negative delay", [frame(2, { delayMs: -1 })], {}, ValueError, /frames\[0\]\.delayMs: expected milliseconds/],
    ["a NaN default delay", [frame(2)], { delayMs: NaN }, ValueError, /delayMs: expected milliseconds/],
    ["a 1-D matrix in frame 1", [frame(2), { panels: [{ matrix: [1, 2] }] }], {}, ShapeError, /panels\[0\]\.matrix/],
  ])("rejects %s", (_, frames, options, ErrorClass, message) => {
    expect(() => animationGif(frames as AnimationFrame[], options)).toThrow(ErrorClass);
    expect(() => animationGif(frames as AnimationFrame[], options)).toThrow(message);
  });
});
