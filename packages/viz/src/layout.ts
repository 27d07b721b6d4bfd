import type { PreparedFigure } from "./figure.js";
import { textWidth } from "./text-width.js";
import { indexTicks, valueTicks, type Tick } from "./ticks.js";

/** Font sizes in pixels. */
export const FONT = { figureTitle: 16, panelTitle: 14, tick: 11, colorbarLabel: 12 } as const;

// Spacing in pixels, picked to resemble matplotlib's tight_layout at 100 dpi.
const PAD = 12;
const COLUMN_GAP = 20;
const ROW_GAP = 12;
const TITLE_BAND = 22; // panel title: baseline 6 px above the matrix
const FIGURE_TITLE_BAND = 30;
const TICK_LENGTH = 4;
const TICK_GAP = 3;
const COLORBAR_GAP = 16;
const COLORBAR_WIDTH = 16;

/** An axis-aligned box in figure pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where one matrix goes and how its image is sampled. */
export interface PanelLayout {
  /** The matrix image. */
  readonly image: Box;
  /**
   * Pixels per entry of the embedded image. 0 means the matrix has more
   * entries than `panelSize` pixels and the renderer scales it down smoothly.
   */
  readonly upscale: number;
  /** Centre x and baseline y of the panel title. */
  readonly titleAt: { readonly x: number; readonly y: number };
  readonly rowTicks: readonly Tick[];
  readonly columnTicks: readonly Tick[];
}

/** The colorbar's box, value ticks (`at` 0 = bottom = vmin), and label position. */
export interface ColorbarLayout {
  readonly bar: Box;
  readonly ticks: readonly Tick[];
  readonly label: { readonly x: number; readonly y: number };
}

/** Pixel positions of everything in a figure. */
export interface FigureLayout {
  readonly width: number;
  readonly height: number;
  readonly titleAt: { readonly x: number; readonly y: number } | undefined;
  readonly panels: readonly PanelLayout[];
  readonly colorbar: ColorbarLayout | undefined;
}

/**
 * Lays a prepared figure out on an integer pixel grid: equal cells of
 * `panelSize` squares, each matrix centred in its square with square entries
 * (`imshow`'s `aspect="equal"`), one colorbar as tall as the matrices span.
 * Integer positions keep embedded images unresampled when rendered at 1:1.
 */
export function layoutFigure(figure: PreparedFigure): FigureLayout {
  const { panelSize, panels } = figure;
  const titled = panels.some((p) => p.title);
  const titleBand = titled ? TITLE_BAND : 0;
  const ticks = panels.map((p) => ({
    rows: figure.ticks ? indexTicks(p.matrix.rows) : [],
    columns: figure.ticks ? indexTicks(p.matrix.cols) : [],
  }));
  const rowTickLabelWidth = Math.max(0, ...ticks.flatMap((t) => t.rows.map((k) => textWidth(k.label, FONT.tick))));
  const leftBand = figure.ticks ? TICK_LENGTH + TICK_GAP + rowTickLabelWidth : 0;
  const bottomBand = figure.ticks ? TICK_LENGTH + TICK_GAP + FONT.tick + 2 : 0;
  const widestTitle = Math.max(0, ...panels.map((p) => (p.title ? textWidth(p.title, FONT.panelTitle) : 0)));
  // A cell is at least as wide as its title so neighbouring titles never overlap.
  const cellWidth = Math.max(leftBand + panelSize, widestTitle + 4);
  const cellHeight = titleBand + panelSize + bottomBand;
  const top = PAD + (figure.title ? FIGURE_TITLE_BAND : 0);
  const gridWidth = figure.columns * cellWidth + (figure.columns - 1) * COLUMN_GAP;
  const gridHeight = figure.rows * cellHeight + (figure.rows - 1) * ROW_GAP;

  const panelLayouts = panels.map((p, k): PanelLayout => {
    const cellX = PAD + p.column * (cellWidth + COLUMN_GAP);
    const cellY = top + p.row * (cellHeight + ROW_GAP);
    // The square for the matrix sits right of the tick labels, centred in what is left of the cell.
    const squareX = cellX + leftBand + Math.floor((cellWidth - leftBand - panelSize) / 2);
    const squareY = cellY + titleBand;
    const { width, height, upscale } = fitMatrix(p.matrix.rows, p.matrix.cols, panelSize);
    const image = {
      x: squareX + Math.floor((panelSize - width) / 2),
      y: squareY + Math.floor((panelSize - height) / 2),
      width,
      height,
    };
    return {
      image,
      upscale,
      titleAt: { x: image.x + image.width / 2, y: image.y - 6 },
      rowTicks: ticks[k].rows,
      columnTicks: ticks[k].columns,
    };
  });

  let width = PAD + gridWidth + PAD;
  let colorbar: ColorbarLayout | undefined;
  if (figure.colorbar) {
    // As tall as the matrices span, from the highest top to the lowest bottom.
    const barTop = Math.min(...panelLayouts.map((p) => p.image.y));
    const barBottom = Math.max(...panelLayouts.map((p) => p.image.y + p.image.height));
    const bar = { x: PAD + gridWidth + COLORBAR_GAP, y: barTop, width: COLORBAR_WIDTH, height: barBottom - barTop };
    const valueTickList = valueTicks(figure.scale.vmin, figure.scale.vmax);
    const labelsWidth = Math.max(0, ...valueTickList.map((t) => textWidth(t.label, FONT.tick)));
    // The label reads upward, so its glyphs stand left of the baseline x.
    const labelX = bar.x + bar.width + TICK_LENGTH + TICK_GAP + labelsWidth + 6 + FONT.colorbarLabel;
    colorbar = { bar, ticks: valueTickList, label: { x: labelX, y: bar.y + bar.height / 2 } };
    width = labelX + (figure.colorbarLabel ? 4 : 0) + PAD;
  }
  const titleWidth = figure.title ? textWidth(figure.title, FONT.figureTitle) + 2 * PAD : 0;
  width = Math.max(width, titleWidth);
  return {
    width,
    height: top + gridHeight + PAD,
    titleAt: figure.title ? { x: width / 2, y: PAD + FONT.figureTitle } : undefined,
    panels: panelLayouts,
    colorbar,
  };
}

/**
 * Display size of a `rows x cols` matrix whose longer side gets `panelSize`
 * pixels: a whole number of pixels per entry when entries are at least a pixel
 * (so cells are equal), else the exact fit, scaled down by the renderer.
 */
export function fitMatrix(rows: number, cols: number, panelSize: number): { width: number; height: number; upscale: number } {
  const longer = Math.max(rows, cols);
  if (longer <= panelSize) {
    const upscale = Math.floor(panelSize / longer);
    return { width: cols * upscale, height: rows * upscale, upscale };
  }
  const s = panelSize / longer;
  return { width: Math.max(1, Math.round(cols * s)), height: Math.max(1, Math.round(rows * s)), upscale: 0 };
}
