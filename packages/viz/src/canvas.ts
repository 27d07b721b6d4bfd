import { ValueError } from "@curv/tensor";
import { resolveColorScale, type ColorScale, type ColorScaleOptions } from "./color-scale.js";
import { readMatrix, type MatrixLike } from "./matrix.js";
import { rasterize } from "./raster.js";

/** A canvas to stage the matrix pixels on: an `OffscreenCanvas`, an `HTMLCanvasElement`, or a Node canvas. */
export interface ScratchCanvas {
  width: number;
  height: number;
  getContext(kind: "2d"): Pick<CanvasRenderingContext2D, "createImageData" | "putImageData"> | null;
}

/** Options of {@link drawHeatmap}: colours, and the box to fill (canvas pixels, after the context's transform). */
export interface DrawHeatmapOptions extends ColorScaleOptions {
  /** Left edge; default 0. */
  x?: number;
  /** Top edge; default 0. */
  y?: number;
  /** Default: the canvas width. */
  width?: number;
  /** Default: the canvas height. */
  height?: number;
  /**
   * Makes the scratch canvas; default `new OffscreenCanvas(w, h)`, or
   * `document.createElement("canvas")` where there is no OffscreenCanvas.
   * Pass one in Node (e.g. `createCanvas` of @napi-rs/canvas).
   */
  createCanvas?: (width: number, height: number) => ScratchCanvas;
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * Draws a matrix as a heatmap into a box of a 2-D canvas context, one
 * rectangle of colour per entry, and returns the colour scale it used (to draw
 * a legend, or to pass `vmin`/`vmax` on to the next matrix).
 *
 * The box is filled as given; keep its aspect equal to the matrix's for square
 * cells. Cells stay sharp when the box is larger than the matrix; a larger
 * matrix is scaled down with smoothing. NaN entries are left transparent unless
 * `nanColor` says otherwise. For titles and a colorbar, insert
 * {@link heatmapSvg}'s SVG into the page instead.
 *
 * @example
 * ```ts
 * const ctx = document.querySelector("canvas")!.getContext("2d")!;
 * const { vmin, vmax } = drawHeatmap(ctx, hessian, { colormap: "magma" });
 * ```
 */
export function drawHeatmap(ctx: Context2D, matrix: MatrixLike, options: DrawHeatmapOptions = {}): ColorScale {
  const m = readMatrix(matrix);
  const scale = resolveColorScale([m], options);
  const { x = 0, y = 0, width = ctx.canvas.width, height = ctx.canvas.height } = options;
  for (const [name, value] of Object.entries({ x, y, width, height })) {
    if (!Number.isFinite(value)) throw new ValueError(`drawHeatmap: ${name} must be a finite number, got ${value}`);
  }
  if (!(width > 0 && height > 0)) throw new ValueError(`drawHeatmap: the box must have a positive size, got ${width} x ${height}`);

  // putImageData ignores the context's transform and clip, so the pixels go to
  // a scratch canvas first and drawImage scales them into the box.
  const scratch = (options.createCanvas ?? defaultCanvas)(m.cols, m.rows);
  const scratchContext = scratch.getContext("2d");
  if (scratchContext === null) throw new ValueError("drawHeatmap: the scratch canvas has no 2-D context");
  const pixels = scratchContext.createImageData(m.cols, m.rows);
  pixels.data.set(rasterize(m, scale).data);
  scratchContext.putImageData(pixels, 0, 0);

  ctx.save();
  ctx.imageSmoothingEnabled = width < m.cols || height < m.rows;
  ctx.drawImage(scratch as unknown as CanvasImageSource, x, y, width, height);
  ctx.restore();
  return scale;
}

function defaultCanvas(width: number, height: number): ScratchCanvas {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(width, height) as unknown as ScratchCanvas;
  if (typeof document !== "undefined") {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }
  throw new ValueError("drawHeatmap: no OffscreenCanvas or document here; pass options.createCanvas (e.g. from @napi-rs/canvas)");
}
