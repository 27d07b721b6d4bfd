import { Resvg } from "@resvg/resvg-js";
import { prepareFigure, type FigureOptions, type Panel } from "../figure.js";
import type { MatrixLike } from "../matrix.js";
import type { RgbaImage } from "../raster.js";
import { figureSvg, type HeatmapOptions } from "../svg.js";
import { DEFAULT_FONT_FAMILY, defaultFontFile } from "./font.js";

/** Options of {@link svgToPng} and {@link svgToRgba}. */
export interface RasterOptions {
  /** Extra TrueType/OpenType files for text (DejaVu Sans is always loaded). */
  fontFiles?: readonly string[];
}

function render(svg: string, options: RasterOptions) {
  // System fonts stay off: with them, the same SVG would render differently
  // from machine to machine (and loading them is slow).
  return new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [defaultFontFile(), ...(options.fontFiles ?? [])],
      defaultFontFamily: DEFAULT_FONT_FAMILY,
      sansSerifFamily: DEFAULT_FONT_FAMILY,
    },
    fitTo: { mode: "original" },
    logLevel: "off",
  }).render();
}

/**
 * Renders an SVG document to PNG bytes at 1 SVG unit per pixel with resvg
 * (a Rust renderer whose binary ships inside its npm package). Node only.
 *
 * @example
 * ```ts
 * writeFileAtomicSync("h.png", svgToPng(heatmapSvg(h)));
 * ```
 */
export function svgToPng(svg: string, options: RasterOptions = {}): Uint8Array {
  return new Uint8Array(render(svg, options).asPng());
}

/** Renders an SVG document to RGBA pixels (premultiplied alpha; opaque wherever the figure background is). */
export function svgToRgba(svg: string, options: RasterOptions = {}): RgbaImage {
  const image = render(svg, options);
  return { width: image.width, height: image.height, data: new Uint8Array(image.pixels) };
}

/**
 * A heatmap of one matrix as PNG bytes; see {@link heatmapSvg} for the picture.
 *
 * @example
 * ```ts
 * import { writeFileAtomicSync } from "@curv/tensor";
 * writeFileAtomicSync("hessian.png", heatmapPng(hessian, { title: "Hessian", transform: logAbs() }));
 * ```
 */
export function heatmapPng(matrix: MatrixLike, options: HeatmapOptions = {}): Uint8Array {
  const { title, ...rest } = options;
  return gridPng([{ matrix, title }], rest);
}

/**
 * A grid of heatmaps with a shared colour scale and one colorbar as PNG bytes;
 * see {@link gridSvg}.
 *
 * @example
 * ```ts
 * writeFileAtomicSync("pair.png", gridPng([{ matrix: a, title: "A" }, { matrix: b, title: "B" }]));
 * ```
 */
export function gridPng(panels: readonly (Panel | null)[], options: FigureOptions = {}): Uint8Array {
  return svgToPng(figureSvg(prepareFigure(panels, options)));
}
