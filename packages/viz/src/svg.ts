import { colorbarSvg } from "./colorbar-svg.js";
import { prepareFigure, type FigureOptions, type Panel, type PlacedPanel, type PreparedFigure } from "./figure.js";
import { FONT, layoutFigure, type PanelLayout } from "./layout.js";
import type { MatrixLike } from "./matrix.js";
import { pngDataUri } from "./png-encode.js";
import { rasterize } from "./raster.js";
import { escapeXml, FONT_FAMILY, frameSvg, px, textSvg } from "./svg-elements.js";

/** Options of {@link heatmapSvg}: a figure of one panel, whose `title` sits above the matrix. */
export type HeatmapOptions = Omit<FigureOptions, "columns">;

/**
 * A heatmap of one matrix as an SVG document (like matplotlib's `imshow`, with
 * a colorbar and without ticks by default). Works in Node and browsers.
 *
 * The matrix is embedded as one PNG image, not a rect per entry, so a 683 x 683
 * Hessian stays a small file.
 *
 * @example
 * ```ts
 * const svg = heatmapSvg([[1, 2], [3, 4]], { title: "A", colorbarLabel: "value" });
 * document.body.insertAdjacentHTML("beforeend", svg);
 * ```
 */
export function heatmapSvg(matrix: MatrixLike, options: HeatmapOptions = {}): string {
  const { title, ...rest } = options;
  return gridSvg([{ matrix, title }], rest);
}

/**
 * A grid of heatmaps with one shared colour scale and one colorbar, as an SVG
 * document. `null` entries leave a cell empty; `columns` sets the grid width.
 *
 * @example
 * ```ts
 * const svg = gridSvg(
 *   [{ matrix: dense, title: "Original" }, { matrix: diagonal, title: "Diagonal" }, null],
 *   { columns: 3, title: "D = 10" },
 * );
 * ```
 */
export function gridSvg(panels: readonly (Panel | null)[], options: FigureOptions = {}): string {
  return figureSvg(prepareFigure(panels, options));
}

/** The SVG of a prepared figure; also the input of the PNG and GIF renderers. */
export function figureSvg(figure: PreparedFigure): string {
  const layout = layoutFigure(figure);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
      `width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" ` +
      `font-family="${FONT_FAMILY}">`,
    `<rect class="background" width="${layout.width}" height="${layout.height}" fill="${escapeXml(figure.background)}"/>`,
  ];
  if (figure.title && layout.titleAt) {
    parts.push(textSvg("figure-title", layout.titleAt.x, layout.titleAt.y, FONT.figureTitle, figure.title));
  }
  figure.panels.forEach((panel, k) => parts.push(panelSvg(figure, panel, layout.panels[k])));
  if (layout.colorbar) parts.push(colorbarSvg(figure.scale, layout.colorbar, figure.colorbarLabel));
  parts.push("</svg>");
  return parts.join("\n");
}

function panelSvg(figure: PreparedFigure, panel: PlacedPanel, layout: PanelLayout): string {
  const { image } = layout;
  const pixels = rasterize(panel.matrix, figure.scale, Math.max(1, layout.upscale));
  // Crisp cells when scaled up (by a browser zoom); smooth averaging when a
  // matrix larger than the panel is scaled down, which beats dropping rows.
  const rendering = layout.upscale > 0 ? ` style="image-rendering:pixelated" image-rendering="optimizeSpeed"` : "";
  const parts = [`<g class="panel" data-row="${panel.row}" data-column="${panel.column}">`];
  if (panel.title) parts.push(textSvg("panel-title", layout.titleAt.x, layout.titleAt.y, FONT.panelTitle, panel.title));
  parts.push(
    `<image class="matrix" x="${image.x}" y="${image.y}" width="${image.width}" height="${image.height}" ` +
      `preserveAspectRatio="none"${rendering} xlink:href="${pngDataUri(pixels)}"/>`,
    frameSvg(image.x, image.y, image.width, image.height),
  );
  if (figure.ticks) parts.push(indexTicksSvg(layout));
  parts.push("</g>");
  return parts.join("\n");
}

function indexTicksSvg(layout: PanelLayout): string {
  const { image } = layout;
  const parts = [`<g class="ticks" stroke="black" stroke-width="1">`];
  for (const t of layout.rowTicks) {
    const y = image.y + t.at * image.height;
    parts.push(`<line x1="${px(image.x - 4.5)}" y1="${px(y)}" x2="${px(image.x - 0.5)}" y2="${px(y)}"/>`);
    parts.push(textSvg("tick-label", image.x - 8, y + FONT.tick * 0.35, FONT.tick, t.label, "end", ` stroke="none"`));
  }
  for (const t of layout.columnTicks) {
    const x = image.x + t.at * image.width;
    const bottom = image.y + image.height;
    parts.push(`<line x1="${px(x)}" y1="${px(bottom + 0.5)}" x2="${px(x)}" y2="${px(bottom + 4.5)}"/>`);
    parts.push(textSvg("tick-label", x, bottom + 7 + FONT.tick, FONT.tick, t.label, "middle", ` stroke="none"`));
  }
  parts.push("</g>");
  return parts.join("\n");
}
