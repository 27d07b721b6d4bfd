/**
 * Line plots as SVG (curves of several runs on shared axes, with a legend),
 * rendered to PNG by @curv/viz's `svgToPng`. @curv/viz draws matrices only so
 * far; this is the small piece of plotting the app needs.
 */
import { DEFAULT_FONT_FAMILY } from "@curv/viz";

/** One curve: a name for the legend and its points. */
export interface LineSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** What {@link linePlotSvg} draws. */
export interface LinePlot {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  /** Width of everything but the legend (default 600); the legend adds what its longest name needs. */
  readonly width?: number;
  readonly height?: number;
}

/** Matplotlib's tab10 colours, one per series in order. */
const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const FONT = 13;
const MARGIN = { left: 64, top: 34, bottom: 48 };
/** Legend width per character of the longest name (DejaVu Sans at 13 px averages about 8 px). */
const LEGEND_CHAR = 8;

/** About `count` round values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** An SVG document: every series as a polyline over the union of their ranges, axes with ticks, a title and a legend. */
export function linePlotSvg({ title, xLabel, yLabel, series, width: plotWidth = 600, height = 440 }: LinePlot): string {
  const legend = 60 + LEGEND_CHAR * Math.max(0, ...series.map((s) => s.name.length));
  const margin = { ...MARGIN, right: legend };
  const width = plotWidth + legend;
  const xs = series.flatMap((s) => s.x.filter(Number.isFinite));
  const ys = series.flatMap((s) => s.y.filter(Number.isFinite));
  const [x0, x1] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length > 0 ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const pad = (y1 - y0) * 0.05 || Math.abs(y0) * 0.05 || 1;
  [y0, y1] = [y0 - pad, y1 + pad];
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const px = (x: number) => margin.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW);
  const py = (y: number) => margin.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const r = (v: number) => v.toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${DEFAULT_FONT_FAMILY}" font-size="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${r(margin.left + plotW / 2)}" y="22" text-anchor="middle" font-size="15">${escape(title)}</text>`,
  ];
  for (const t of niceTicks(y0, y1).filter((t) => t >= y0 && t <= y1)) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${r(py(t))}" y2="${r(py(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${r(py(t) + 4)}" text-anchor="end">${formatTick(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1).filter((t) => t >= x0 && t <= x1)) {
    parts.push(`<line x1="${r(px(t))}" x2="${r(px(t))}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="black"/>`);
    parts.push(`<text x="${r(px(t))}" y="${margin.top + plotH + 18}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="black"/>`);
  parts.push(`<text x="${r(margin.left + plotW / 2)}" y="${height - 10}" text-anchor="middle">${escape(xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${r(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = s.x.map((x, k) => [x, s.y[k]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (points.length === 1) parts.push(`<circle cx="${r(px(points[0][0]))}" cy="${r(py(points[0][1]))}" r="3" fill="${color}"/>`);
    else parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${points.map(([x, y]) => `${r(px(x))},${r(py(y))}`).join(" ")}"/>`);
    const ly = margin.top + 10 + 20 * i;
    parts.push(`<line x1="${width - margin.right + 14}" x2="${width - margin.right + 38}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${width - margin.right + 44}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

function formatTick(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
