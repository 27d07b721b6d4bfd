import type { CaseResult } from "./measure-case.js";

/**
 * What a benchmark suite is. A suite file exports one {@link BenchSuite} and
 * adds one line to `suites.ts`; `main.ts` does the timing, the table and the
 * JSON.
 *
 * @example
 * ```ts
 * export const sortSuite: BenchSuite = {
 *   name: "sort",
 *   description: "Float64Array.prototype.sort on random data",
 *   cases: () => [10_000, 100_000].map((n) => ({
 *     name: `sort n=${n}`,
 *     n,
 *     prepare: () => {
 *       const data = Float64Array.from({ length: n }, Math.random); // untimed
 *       return () => data.slice().sort();                           // timed
 *     },
 *   })),
 * };
 * ```
 */
export interface BenchSuite {
  /** Short and unique, e.g. `"linalg"`; `--filter` matches `suite/case`. */
  name: string;
  /** One line for `--list`. */
  description: string;
  /** The cases, cheap to list: heavy set-up belongs in {@link BenchCase.prepare}. */
  cases(): readonly BenchCase[] | Promise<readonly BenchCase[]>;
  /**
   * Optional digest of the suite's results once they are measured: `report`
   * fields are merged into the top level of the JSON report (for a shape an
   * issue or a comparison script asks for), `lines` are printed after the table.
   */
  summarize?(results: readonly CaseResult[]): SuiteSummary;
}

/** What {@link BenchSuite.summarize} returns. */
export interface SuiteSummary {
  report?: Record<string, unknown>;
  lines?: string[];
}

/** A function whose calls are timed; a returned promise is awaited inside the timing. */
export type TimedFunction = () => unknown;

/** One timed measurement of a suite. */
export interface BenchCase {
  /** Unique within its suite (it keys the JSON report), e.g. `"eigh n=512"`. */
  name: string;
  /** The problem size shown in the table's `n` column. */
  n?: number;
  /** Floating-point operations per call; when given, the table shows GFLOP/s. */
  flops?: number;
  /** Minimum number of timed calls (default 10); lower it for cases that take seconds. */
  iterations?: number;
  /** Builds the inputs (untimed, called only if the case is selected) and returns the function to time. */
  prepare(): TimedFunction | Promise<TimedFunction>;
  /** Further facts copied into the JSON report, e.g. `{ dtype: "float32" }`. */
  extra?: Readonly<Record<string, number | string | boolean>>;
}
