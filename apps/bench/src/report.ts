import os from "node:os";
import type { CaseResult } from "./measure-case.js";

/** The machine a report was measured on. */
export interface MachineInfo {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  totalMemoryGiB: number;
}

/** The JSON written by `--json`: `suites[suite][case]` holds each case's numbers. */
export interface BenchReport {
  machine: MachineInfo;
  date: string;
  filters: string[];
  suites: Record<string, Record<string, Record<string, number | string | boolean>>>;
  /** Top-level fields contributed by suites' summaries (e.g. the autodiff suite's `cases`). */
  [summaryField: string]: unknown;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** Builds the JSON report; a case's `extra` fields sit beside its measured numbers. */
export function buildReport(results: readonly CaseResult[], machine: MachineInfo, date: Date, filters: string[]): BenchReport {
  const suites: BenchReport["suites"] = {};
  for (const r of results) {
    const entry: Record<string, number | string | boolean> = {
      median_ms: r.medianMs,
      mean_ms: r.meanMs,
      samples: r.samples,
      ops_per_s: r.opsPerSecond,
    };
    if (r.n !== undefined) entry.n = r.n;
    if (r.gflopsPerSecond !== undefined) entry.gflops_per_s = r.gflopsPerSecond;
    (suites[r.suite] ??= {})[r.name] = { ...entry, ...r.extra };
  }
  return { machine, date: date.toISOString(), filters, suites };
}

interface Column {
  title: string;
  align: "left" | "right";
  cell(r: CaseResult): string;
}

const COLUMNS: Column[] = [
  { title: "suite", align: "left", cell: (r) => r.suite },
  { title: "case", align: "left", cell: (r) => r.name },
  { title: "n", align: "right", cell: (r) => (r.n === undefined ? "" : String(r.n)) },
  { title: "median ms", align: "right", cell: (r) => formatNumber(r.medianMs) },
  { title: "ops/s", align: "right", cell: (r) => formatNumber(r.opsPerSecond) },
  { title: "GFLOP/s", align: "right", cell: (r) => (r.gflopsPerSecond === undefined ? "" : r.gflopsPerSecond.toFixed(2)) },
  { title: "samples", align: "right", cell: (r) => String(r.samples) },
];

/** Column widths, fixed before the first case runs so rows can be printed as each case finishes. */
export interface TableLayout {
  widths: number[];
}

/** Widths of the numeric columns: enough for the usual range of {@link formatNumber}. */
const NUMBER_WIDTHS = [5, 10, 9, 8, 7];

/** Sizes the suite and case columns to the longest names about to run. */
export function tableLayout(cases: readonly { suite: string; name: string }[]): TableLayout {
  const longest = (values: string[], title: string) => Math.max(title.length, ...values.map((v) => v.length));
  return {
    widths: [longest(cases.map((c) => c.suite), COLUMNS[0].title), longest(cases.map((c) => c.name), COLUMNS[1].title), ...NUMBER_WIDTHS],
  };
}

/** The table header: titles and a rule. */
export function tableHeader({ widths }: TableLayout): string[] {
  const titles = COLUMNS.map((c, i) => pad(c.title, widths[i], c.align)).join("  ");
  return [titles, "-".repeat(titles.length)];
}

/** One table row. */
export function tableRow({ widths }: TableLayout, r: CaseResult): string {
  return COLUMNS.map((c, i) => pad(c.cell(r), widths[i], c.align)).join("  ");
}

/** Four significant digits, without exponent notation in the usual range. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x))));
  return x.toFixed(Math.min(digits, 6));
}

function pad(text: string, width: number, align: "left" | "right"): string {
  return align === "left" ? text.padEnd(width) : text.padStart(width);
}
