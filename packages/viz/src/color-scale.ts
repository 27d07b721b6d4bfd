import { ValueError } from "@curv/tensor";
import { COLORMAP_SIZE, colormap, parseColor, type Colormap, type ColormapName, type Rgba } from "./colormap.js";
import { readMatrix, type Matrix, type MatrixLike } from "./matrix.js";
import { identityTransform, type ValueTransform } from "./transform.js";

/** How values become colours; shared by every panel of a figure. */
export interface ColorScaleOptions {
  /** Value shown in the lowest colour (transformed units); default: the smallest finite value. */
  vmin?: number;
  /** Value shown in the highest colour (transformed units); default: the largest finite value. */
  vmax?: number;
  /** Default `"viridis"`. */
  colormap?: ColormapName | Colormap;
  /** Applied to each entry before colouring, e.g. `logAbs()`; default: none. */
  transform?: ValueTransform;
  /**
   * Colour of entries that are (or transform to) NaN or ±Infinity, as a CSS
   * colour. Default `"transparent"`, so they show the background, like
   * matplotlib's masked entries. Such entries never count toward the limits.
   */
  nanColor?: string;
}

/** A resolved colour scale: limits, colormap, transform and NaN colour. */
export interface ColorScale {
  readonly vmin: number;
  readonly vmax: number;
  readonly colormap: Colormap;
  readonly transform: ValueTransform;
  readonly nanColor: Rgba;
}

/**
 * The colour scale that several matrices share: limits not given are the
 * extremes of all their finite (transformed) entries. Use its `vmin` and
 * `vmax` to give separate figures the same colours.
 *
 * Values outside the limits get the end colours. When the limits are equal
 * (a constant matrix) every finite entry gets the lowest colour, as in
 * matplotlib. With no finite entry at all, a missing limit copies the other
 * one, or both are 0.
 *
 * @throws ValueError when a limit is not finite or `vmin > vmax`.
 *
 * @example
 * ```ts
 * const { vmin, vmax } = colorScaleFor([dense, structured]);
 * heatmapSvg(dense, { vmin, vmax });
 * heatmapSvg(structured, { vmin, vmax });
 * ```
 */
export function colorScaleFor(matrices: readonly MatrixLike[], options: ColorScaleOptions = {}): ColorScale {
  return resolveColorScale(matrices.map((m, i) => readMatrix(m, `matrices[${i}]`)), options);
}

/** {@link colorScaleFor} on matrices already read. */
export function resolveColorScale(matrices: readonly Matrix[], options: ColorScaleOptions = {}): ColorScale {
  const transform = options.transform ?? identityTransform;
  for (const key of ["vmin", "vmax"] as const) {
    const limit = options[key];
    if (limit !== undefined && !(typeof limit === "number" && Number.isFinite(limit))) {
      throw new ValueError(`${key} must be a finite number, got ${limit}`);
    }
  }
  const needsData = options.vmin === undefined || options.vmax === undefined;
  const [lo, hi] = needsData ? finiteRange(matrices, transform) : [NaN, NaN];
  let vmin = options.vmin ?? lo;
  let vmax = options.vmax ?? hi;
  if (Number.isNaN(vmin) || Number.isNaN(vmax)) {
    // No finite entry: nothing to take a limit from.
    vmin = options.vmin ?? options.vmax ?? 0;
    vmax = options.vmax ?? vmin;
  }
  if (vmin > vmax) {
    const given = options.vmin !== undefined && options.vmax !== undefined ? "" : " (a missing limit was taken from the data)";
    throw new ValueError(`color limits: vmin (${vmin}) must not exceed vmax (${vmax})${given}`);
  }
  const map = typeof options.colormap === "object" ? options.colormap : colormap(options.colormap ?? "viridis");
  return { vmin, vmax, colormap: map, transform, nanColor: parseColor(options.nanColor ?? "transparent", "nanColor") };
}

function finiteRange(matrices: readonly Matrix[], transform: ValueTransform): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const { values } of matrices) {
    for (let i = 0; i < values.length; i++) {
      const v = transform.apply(values[i]);
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/**
 * Index into the colormap table of a transformed value, or -1 for a
 * non-finite one. The table is split into equal bins over [vmin, vmax] as in
 * matplotlib's `Colormap.__call__` (so `vmax` itself falls in the last bin).
 */
export function colorIndex(scale: ColorScale, transformed: number): number {
  if (!Number.isFinite(transformed)) return -1;
  const span = scale.vmax - scale.vmin;
  const t = span > 0 ? (transformed - scale.vmin) / span : 0;
  return Math.min(COLORMAP_SIZE - 1, Math.max(0, Math.floor(t * COLORMAP_SIZE)));
}

/** The colour of one raw (untransformed) entry. */
export function colorOf(scale: ColorScale, value: number): Rgba {
  const k = colorIndex(scale, scale.transform.apply(value));
  if (k < 0) return scale.nanColor;
  const t = scale.colormap.table;
  return [t[4 * k], t[4 * k + 1], t[4 * k + 2], t[4 * k + 3]];
}
