import type { CaseResult } from "../measure-case.js";
import type { SuiteSummary } from "../suite.js";

// The operators suite's digest: one row per curvature operator of the tour
// CNN (toDense on each runtime, matvec, matmat and the batching ratio) and
// the KFAC factor builds, as a table and as `{"operators": {...}}` in the JSON.

/** What the summary reads from each case's `extra` (set by operators.ts). */
interface OperatorsExtra {
  operator: string;
  /** `"toDense"`, `"toDense-fresh"`, `"matvec"`, `"matmat<K>"` or `"factors"`. */
  measure: string;
  runtime: string;
  columns?: number;
  model?: string;
  batch?: number;
}

/** One tour operator's numbers in the JSON, all in ms except the ratio. */
type OperatorEntry = Record<string, number>;

function extraOf(result: CaseResult): OperatorsExtra {
  return result.extra as unknown as OperatorsExtra;
}

/** `12.3`, `0.456`, `1234`: about three significant digits. */
function formatMs(ms: number | undefined): string {
  if (ms === undefined) return "-";
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** The JSON entry of one operator: `todense_<runtime>[_fresh]_ms`, `matvec_ms`, `matmat<K>_ms` and `matmat<K>_over_<K>_matvec`. */
function operatorEntry(own: readonly CaseResult[]): OperatorEntry {
  const entry: OperatorEntry = {};
  for (const result of own) {
    const { measure, runtime } = extraOf(result);
    if (measure === "toDense" || measure === "toDense-fresh") entry[`todense_${runtime}${measure === "toDense-fresh" ? "_fresh" : ""}_ms`] = result.medianMs;
    else entry[`${measure}_ms`] = result.medianMs;
  }
  const matvec = entry.matvec_ms;
  for (const result of own) {
    const { measure, columns } = extraOf(result);
    if (!measure.startsWith("matmat") || columns === undefined || matvec === undefined) continue;
    entry[`${measure}_over_${columns}_matvec`] = result.medianMs / (columns * matvec);
  }
  return entry;
}

const COLUMNS: readonly { title: string; key: (entry: OperatorEntry) => number | undefined; ratio?: boolean }[] = [
  { title: "toDense ort", key: (e) => e.todense_ort_ms },
  { title: "fresh ort", key: (e) => e.todense_ort_fresh_ms },
  { title: "fresh js", key: (e) => e.todense_js_fresh_ms },
  { title: "matvec", key: (e) => e.matvec_ms },
  { title: "matmat64", key: (e) => e.matmat64_ms },
  { title: "matmat64/(64 x matvec)", key: (e) => e.matmat64_over_64_matvec, ratio: true },
];

function tableLines(entries: Readonly<Record<string, OperatorEntry>>): string[] {
  const width = Math.max(8, ...Object.keys(entries).map((k) => k.length));
  const header = `  ${"operator".padEnd(width)}` + COLUMNS.map((c) => `  ${c.title.padStart(Math.max(10, c.title.length))}`).join("");
  const rows = Object.entries(entries).map(([operator, entry]) => `  ${operator.padEnd(width)}` + COLUMNS.map((c) => {
    const value = c.key(entry);
    const text = value === undefined ? "-" : c.ratio ? value.toFixed(3) : formatMs(value);
    return `  ${text.padStart(Math.max(10, c.title.length))}`;
  }).join(""));
  return [header, ...rows];
}

/**
 * The digest of the operators suite: `{"operators": {"tour_cnn": {"hessian":
 * {"todense_ort_ms", "todense_ort_fresh_ms", "todense_js_fresh_ms", "matvec_ms",
 * "matmat64_ms", "matmat64_over_64_matvec"}, ...}, "kfac_factors": {"mlp":
 * {"ort_ms", "batch"}, "cnn": {...}}}}` (only what was measured), and a
 * table of the same numbers in ms.
 */
export function summarizeOperators(results: readonly CaseResult[]): SuiteSummary {
  const tourCnn: Record<string, OperatorEntry> = {};
  const kfacFactors: Record<string, Record<string, number>> = {};
  const operators = [...new Set(results.filter((r) => extraOf(r).measure !== "factors").map((r) => extraOf(r).operator))];
  for (const operator of operators) {
    tourCnn[operator] = operatorEntry(results.filter((r) => extraOf(r).operator === operator && extraOf(r).measure !== "factors"));
  }
  for (const result of results) {
    const { measure, model, runtime, batch } = extraOf(result);
    if (measure !== "factors" || model === undefined) continue;
    Object.assign((kfacFactors[model] ??= {}), { [`${runtime}_ms`]: result.medianMs }, batch === undefined ? {} : { batch });
  }
  const lines: string[] = [];
  if (operators.length > 0) lines.push("  tour CNN (683 parameters), float32, ms per call:", ...tableLines(tourCnn));
  const factorLines = Object.entries(kfacFactors).map(([model, entry]) =>
    `${model} ${Object.entries(entry).filter(([k]) => k.endsWith("_ms")).map(([k, ms]) => `${k.slice(0, -3)} ${formatMs(ms)} ms`).join(", ")}` +
    (entry.batch === undefined ? "" : ` (batch ${entry.batch})`));
  if (factorLines.length > 0) lines.push(`  KFAC factors (construct + ready()): ${factorLines.join("; ")}`);
  const report: Record<string, unknown> = {};
  if (operators.length > 0) report.tour_cnn = tourCnn;
  if (factorLines.length > 0) report.kfac_factors = kfacFactors;
  return { report: { operators: report }, lines };
}
