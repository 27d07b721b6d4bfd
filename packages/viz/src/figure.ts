import { ValueError } from "@curv/tensor";
import { parseColor } from "./colormap.js";
import { resolveColorScale, type ColorScale, type ColorScaleOptions } from "./color-scale.js";
import { readMatrix, type Matrix, type MatrixLike } from "./matrix.js";

/** One subplot of a grid: a matrix and an optional title above it. */
export interface Panel {
  matrix: MatrixLike;
  title?: string;
}

/** Options of a figure: one colour scale for all panels, plus layout. */
export interface FigureOptions extends ColorScaleOptions {
  /** A title above the whole figure. */
  title?: string;
  /** Panels per row; default: all panels in one row. */
  columns?: number;
  /** Pixels of the longer side of each matrix; default 256. */
  panelSize?: number;
  /** Draw a colorbar right of the grid; default `true`. */
  colorbar?: boolean;
  /** Text beside the colorbar; default: the transform's label (none without a transform). */
  colorbarLabel?: string;
  /** Row and column index ticks on every panel; default `false` (as in SINGD's pictures). */
  ticks?: boolean;
  /** CSS background colour; default `"white"`. */
  background?: string;
}

/** A panel read and placed on the grid. */
export interface PlacedPanel {
  readonly matrix: Matrix;
  readonly title: string | undefined;
  readonly row: number;
  readonly column: number;
}

/** A figure with its inputs checked: matrices read, grid placed, colour scale resolved. */
export interface PreparedFigure {
  readonly panels: readonly PlacedPanel[];
  readonly rows: number;
  readonly columns: number;
  readonly scale: ColorScale;
  readonly title: string | undefined;
  readonly panelSize: number;
  readonly colorbar: boolean;
  readonly colorbarLabel: string;
  readonly ticks: boolean;
  readonly background: string;
}

export const DEFAULT_PANEL_SIZE = 256;

/**
 * Checks a grid of panels and resolves its shared colour scale. `null` cells
 * stay empty (an uneven number of structures on a 3-column grid).
 */
export function prepareFigure(panels: readonly (Panel | null)[], options: FigureOptions = {}): PreparedFigure {
  if (!Array.isArray(panels)) throw new ValueError(`panels: expected an array of panels, got ${typeof panels}`);
  if (panels.length === 0) throw new ValueError("panels: expected at least one panel, got an empty array");
  const columns = options.columns ?? panels.length;
  if (!(Number.isInteger(columns) && columns >= 1)) {
    throw new ValueError(`columns: expected a positive integer, got ${columns}`);
  }
  const panelSize = options.panelSize ?? DEFAULT_PANEL_SIZE;
  if (!(Number.isInteger(panelSize) && panelSize >= 8 && panelSize <= 8192)) {
    throw new ValueError(`panelSize: expected an integer between 8 and 8192 pixels, got ${panelSize}`);
  }
  const placed: PlacedPanel[] = [];
  panels.forEach((panel, i) => {
    if (panel === null || panel === undefined) return;
    if (typeof panel !== "object" || !("matrix" in panel)) {
      throw new ValueError(`panels[${i}]: expected { matrix, title? } or null for an empty cell`);
    }
    const matrix = readMatrix(panel.matrix, `panels[${i}].matrix`);
    placed.push({ matrix, title: panel.title, row: Math.floor(i / columns), column: i % columns });
  });
  if (placed.length === 0) throw new ValueError(`panels: all ${panels.length} cells are empty; nothing to draw`);
  const scale = resolveColorScale(placed.map((p) => p.matrix), options);
  const background = options.background ?? "white";
  parseColor(background, "background");
  return {
    panels: placed,
    rows: Math.ceil(panels.length / columns),
    columns,
    scale,
    title: options.title,
    panelSize,
    colorbar: options.colorbar ?? true,
    colorbarLabel: options.colorbarLabel ?? scale.transform.label,
    ticks: options.ticks ?? false,
    background,
  };
}
