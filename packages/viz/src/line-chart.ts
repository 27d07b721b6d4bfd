import { scaleLinear, scaleLog } from "d3-scale";
import { ValueError } from "@curv/tensor";
import { escapeXml, FONT_FAMILY, px, textSvg } from "./svg-elements.js";
import { textWidth } from "./text-width.js";

/** One curve of a {@link lineChartSvg}: points `(x[i], y[i])`, joined in order. */
export interface LineSeries {
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** A CSS colour; default the next of the chart's palette (matplotlib's "tab10"). */
  readonly color?: string;
  /** Draw a dot at every point (for few points); default false. */
  readonly markers?: boolean;
  /** A dashed line; default false. */
  readonly dashed?: boolean;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** `"log"` needs positive values; points that are not are left out. Default `"linear"`. */
  readonly xScale?: "linear" | "log";
  readonly yScale?: "linear" | "log";
  /** Plot area in pixels; default 480 x 300. */
  readonly width?: number;
  readonly height?: number;
  /** Fill the area under each curve, lightly (for densities); default false. */
  readonly fill?: boolean;
}

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const MARGIN = { left: 70, right: 20, top: 36, bottom: 48 };

type Scale = ((value: number) => number) & { ticks(count?: number): number[]; tickFormat(count?: number, specifier?: string): (value: number) => string };

function extent(values: number[], log: boolean, axis: string): [number, number] {
  if (values.length === 0) throw new ValueError(`lineChartSvg: no finite${log ? " positive" : ""} ${axis} values to plot`);
  let [lo, hi] = [Math.min(...values), Math.max(...values)];
  if (lo === hi) [lo, hi] = log ? [lo / 2, hi * 2] : [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

function makeScale(kind: "linear" | "log", domain: [number, number], range: [number, number]): Scale {
  return (kind === "log" ? scaleLog().domain(domain).range(range) : scaleLinear().domain(domain).range(range).nice()) as unknown as Scale;
}

/**
 * A line chart (matplotlib's `plot`, with `loglog`/`semilogy` via the axis
 * scales) as an SVG document: axes with round ticks, labels, a title and a
 * legend right of the plot. PNG in Node with `svgToPng`.
 *
 * @example
 * ```ts
 * const svg = lineChartSvg([{ label: "CG", x: [0, 1, 2], y: [1, 0.1, 0.01] }], { yScale: "log", xLabel: "iteration", yLabel: "residual" });
 * writeFileSync("residuals.png", svgToPng(svg));
 * ```
 */
export function lineChartSvg(series: readonly LineSeries[], options: LineChartOptions = {}): string {
  const { title, xLabel, yLabel, xScale = "linear", yScale = "linear", width = 480, height = 300, fill = false } = options;
  if (series.length === 0) throw new ValueError("lineChartSvg: expected at least one series");
  const keep = (value: number, log: boolean): boolean => Number.isFinite(value) && (!log || value > 0);
  const points = series.map((s) => {
    if (s.x.length !== s.y.length) throw new ValueError(`lineChartSvg: series "${s.label}" has ${s.x.length} x values but ${s.y.length} y values`);
    // A point an axis cannot show (NaN, or not positive on a log axis) breaks the line there.
    return Array.from({ length: s.x.length }, (_, i) => (keep(s.x[i], xScale === "log") && keep(s.y[i], yScale === "log") ? ([s.x[i], s.y[i]] as const) : null));
  });
  const all = points.flat().filter((p) => p !== null);
  const x = makeScale(xScale, extent(all.map(([v]) => v), xScale === "log", "x"), [MARGIN.left, MARGIN.left + width]);
  const yDomain = extent(all.map(([, v]) => v), yScale === "log", "y");
  if (fill && yScale === "linear") yDomain[0] = Math.min(0, yDomain[0]);
  const y = makeScale(yScale, yDomain, [MARGIN.top + height, MARGIN.top]);
  const legendWidth = 40 + Math.max(...series.map((s) => textWidth(s.label, 12)));
  const totalWidth = MARGIN.left + width + MARGIN.right + legendWidth;
  const totalHeight = MARGIN.top + height + MARGIN.bottom;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}" font-family="${FONT_FAMILY}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  const xTicks = xScale === "log" ? logTicks(x) : x.ticks(6);
  const yTicks = yScale === "log" ? logTicks(y) : y.ticks(6);
  const xFormat = xScale === "log" ? formatPower : x.tickFormat(6);
  const yFormat = yScale === "log" ? formatPower : y.tickFormat(6);
  for (const t of xTicks) {
    parts.push(`<line x1="${px(x(t))}" y1="${MARGIN.top}" x2="${px(x(t))}" y2="${MARGIN.top + height}" stroke="#e6e6e6"/>`);
    parts.push(textSvg("tick", x(t), MARGIN.top + height + 16, 11, xFormat(t)));
  }
  for (const t of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" y1="${px(y(t))}" x2="${MARGIN.left + width}" y2="${px(y(t))}" stroke="#e6e6e6"/>`);
    parts.push(textSvg("tick", MARGIN.left - 6, y(t) + 4, 11, yFormat(t), "end"));
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${width}" height="${height}" fill="none" stroke="black"/>`);
  points.forEach((curve, i) => {
    const color = series[i].color ?? PALETTE[i % PALETTE.length];
    // Runs of consecutive drawable points: one sub-path each.
    const runs: (readonly [number, number])[][] = [[]];
    for (const point of curve) {
      if (point === null) runs.push([]);
      else runs[runs.length - 1].push(point);
    }
    for (const run of runs.filter((r) => r.length > 0)) {
      const path = run.map(([a, b], j) => `${j === 0 ? "M" : "L"}${px(x(a))},${px(y(b))}`).join("");
      if (fill) {
        const base = y(yScale === "log" ? yDomain[0] : Math.max(yDomain[0], 0));
        parts.push(`<path d="${path}L${px(x(run[run.length - 1][0]))},${px(base)}L${px(x(run[0][0]))},${px(base)}Z" fill="${color}" fill-opacity="0.2" stroke="none"/>`);
      }
      parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.8"${series[i].dashed ? ' stroke-dasharray="6,4"' : ""}/>`);
      if (series[i].markers) for (const [a, b] of run) parts.push(`<circle cx="${px(x(a))}" cy="${px(y(b))}" r="2.5" fill="${color}"/>`);
    }
    const legendY = MARGIN.top + 14 + 20 * i;
    const legendX = MARGIN.left + width + MARGIN.right;
    parts.push(`<line x1="${legendX}" y1="${legendY - 4}" x2="${legendX + 24}" y2="${legendY - 4}" stroke="${color}" stroke-width="2.5"${series[i].dashed ? ' stroke-dasharray="6,4"' : ""}/>`);
    parts.push(textSvg("legend", legendX + 30, legendY, 12, series[i].label, "start"));
  });
  if (title !== undefined) parts.push(textSvg("title", MARGIN.left + width / 2, 22, 14, title));
  if (xLabel !== undefined) parts.push(textSvg("label", MARGIN.left + width / 2, totalHeight - 10, 12, xLabel));
  if (yLabel !== undefined) {
    parts.push(`<text x="16" y="${px(MARGIN.top + height / 2)}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${px(MARGIN.top + height / 2)})">${escapeXml(yLabel)}</text>`);
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** Powers of ten inside a log scale's domain (every few when there are many); over less than two decades also 2 and 5 times them. */
function logTicks(scale: Scale): number[] {
  const domain = (scale as unknown as { domain(): number[] }).domain();
  const [lo, hi] = [Math.floor(Math.log10(domain[0])), Math.ceil(Math.log10(domain[1]))];
  const inside = (v: number): boolean => v >= domain[0] * (1 - 1e-12) && v <= domain[1] * (1 + 1e-12);
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 8));
  const powers: number[] = [];
  for (let e = lo; e <= hi; e += step) powers.push(10 ** e);
  if (powers.filter(inside).length >= 3) return powers.filter(inside);
  return powers.flatMap((p) => [p, 2 * p, 5 * p]).filter(inside);
}

function formatPower(value: number): string {
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  const mantissa = Math.round(value / 10 ** exponent);
  if (exponent >= -2 && exponent <= 3) return String(mantissa * 10 ** exponent).replace(/(\.\d*?)0{6,}\d*$/, "$1");
  return mantissa === 1 ? `1e${exponent}` : `${mantissa}e${exponent}`;
}
