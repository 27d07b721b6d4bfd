import { Bench } from "tinybench";
import type { BenchCase, TimedFunction } from "./suite.js";

/** What {@link measureCase} reports for one case. */
export interface CaseResult {
  suite: string;
  name: string;
  n?: number;
  medianMs: number;
  meanMs: number;
  samples: number;
  /** Calls per second at the median time. */
  opsPerSecond: number;
  /** `flops / median time`, when the case states its flops. */
  gflopsPerSecond?: number;
  extra: Readonly<Record<string, number | string | boolean>>;
}

/** Timing policy: at least the case's iterations, and at least this long for fast cases, so their medians rest on many samples. */
export const DEFAULT_MIN_TIME_MS = 500;
const DEFAULT_ITERATIONS = 10;

/** Options of {@link measureCase}. */
export interface MeasureOptions {
  /** Keep calling until this much time has passed (as well as the case's iterations); default {@link DEFAULT_MIN_TIME_MS}. */
  minTimeMs?: number;
}

/**
 * Times `fn` with tinybench and summarizes it. Warm-up runs at least one call
 * (a JIT needs it) and otherwise a fifth of the timed iterations, so a case
 * that takes seconds per call is not run dozens of times before timing.
 */
export async function measureCase(
  suite: string,
  benchCase: BenchCase,
  fn: TimedFunction,
  { minTimeMs = DEFAULT_MIN_TIME_MS }: MeasureOptions = {},
): Promise<CaseResult> {
  const iterations = benchCase.iterations ?? DEFAULT_ITERATIONS;
  const bench = new Bench({
    name: `${suite}/${benchCase.name}`,
    iterations,
    time: minTimeMs,
    warmupIterations: Math.max(1, Math.floor(iterations / 5)),
    warmupTime: minTimeMs / 2,
    throws: true,
  });
  bench.add(benchCase.name, fn as () => unknown);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== "completed") {
    throw new Error(`bench ${suite}/${benchCase.name} did not complete (state ${result.state})`);
  }
  const medianMs = result.latency.p50;
  return {
    suite,
    name: benchCase.name,
    n: benchCase.n,
    medianMs,
    meanMs: result.latency.mean,
    samples: result.latency.samplesCount,
    opsPerSecond: 1000 / medianMs,
    gflopsPerSecond: benchCase.flops === undefined ? undefined : benchCase.flops / (medianMs * 1e6),
    extra: benchCase.extra ?? {},
  };
}
