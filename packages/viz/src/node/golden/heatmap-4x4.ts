import type { HeatmapOptions } from "../../svg.js";

/**
 * The figure behind `heatmap-4x4.png`, the golden image of the PNG pipeline:
 * a 4 x 4 matrix with a NaN, a title, index ticks and a labelled colorbar, so
 * that layout, colours, frames and text all show up in one small picture.
 * Rewrite the PNG with `pnpm --filter @curv/viz golden` after a deliberate change.
 */
export const GOLDEN_MATRIX = [
  [4, 3, 2, 1],
  [3, 2, 1, 0],
  [2, 1, NaN, -1],
  [1, 0, -1, -2],
];

export const GOLDEN_OPTIONS: HeatmapOptions = { title: "Golden 4x4", ticks: true, colorbarLabel: "value", panelSize: 64 };

export const GOLDEN_FILE = new URL("./heatmap-4x4.png", import.meta.url);
