import { colorIndex, type ColorScale } from "./color-scale.js";
import type { Matrix } from "./matrix.js";

/** An RGBA image, row-major, 4 bytes a pixel (non-premultiplied). */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * Colours a matrix into an image with `upscale x upscale` pixels per entry.
 *
 * Why upscale here instead of leaving it to the renderer: SVG renderers differ
 * in whether they honour `image-rendering: pixelated` (resvg 2.6 does not), and
 * a smoothed 10 x 10 matrix is a blur. An image already at display size shows
 * sharp cells everywhere, and flat blocks cost PNG's deflate almost nothing.
 */
export function rasterize(matrix: Matrix, scale: ColorScale, upscale = 1): RgbaImage {
  const { rows, cols, values } = matrix;
  const width = cols * upscale;
  const height = rows * upscale;
  const data = new Uint8Array(width * height * 4);
  const table = scale.colormap.table;
  const nan = scale.nanColor;
  for (let i = 0; i < rows; i++) {
    // Colour one pixel row of the matrix row, then copy it for the other upscale - 1 rows.
    const rowStart = i * upscale * width * 4;
    for (let j = 0; j < cols; j++) {
      const k = colorIndex(scale, scale.transform.apply(values[i * cols + j]));
      const c0 = 4 * k;
      for (let s = 0; s < upscale; s++) {
        const p = rowStart + (j * upscale + s) * 4;
        if (k < 0) data.set(nan, p);
        else { data[p] = table[c0]; data[p + 1] = table[c0 + 1]; data[p + 2] = table[c0 + 2]; data[p + 3] = table[c0 + 3]; }
      }
    }
    for (let s = 1; s < upscale; s++) data.copyWithin(rowStart + s * width * 4, rowStart, rowStart + width * 4);
  }
  return { width, height, data };
}
