import { Conv2d, CrossEntropyLoss, Flatten, Linear, ReLU, Sequential } from "@curv/autodiff";
import { AdamW, SINGD } from "@curv/singd";
import { SUPPORTED_STRUCTURES } from "@curv/structures";
import { Generator, tensor, type Tensor } from "@curv/tensor";
import type { CaseResult } from "../measure-case.js";
import type { BenchCase, BenchSuite, SuiteSummary } from "../suite.js";

// The SINGD issue's benchmark: one training step (forward, backward,
// pre-conditioner update, parameter update) of the Fashion-MNIST CNN at
// batch 128, float32, ORT CPU with 2 threads, per structure, against
// AdamW's step on the same model. SINGD updates K and C every T = 10 steps,
// so a timed call is 10 steps (one update and nine plain steps) and the
// per-step time is amortized over them, as SINGD is used; AdamW's call is
// 10 steps too. Goals: dense ≤ 2× AdamW, diagonal ≤ 1.2×. On a shared
// machine the load changes between cases, so each SINGD call also runs 10
// AdamW steps right after its own, and the summary's ratio is the median of
// these paired ratios (the case's median time covers both halves).
// Every case runs with 2 ORT intra-op threads and with 1: on the 2-core
// development machine, shared with other jobs, a 2-thread pool (ORT's as
// PyTorch's) waits on a busy core and swings by 2-50×; 1 thread does not.

const BATCH = 128;
const STEPS_PER_CALL = 10;
const THREADS = [2, 1] as const;
const runtime = (threads: number) => ({ runtime: "ort", providers: ["cpu"], threads }) as const;

/**
 * SINGD's test CNN (the model of apps/singd-fashion-mnist, `fashionCnn`):
 * Conv2d(1, 3, 5, stride 2) → ReLU → Flatten → Linear(432, 50) → ReLU → Linear(50, 10).
 */
function fashionCnn(seed: number): Sequential {
  const generator = new Generator(seed);
  return new Sequential(
    new Conv2d(1, 3, 5, { stride: 2, generator }), new ReLU(), new Flatten(),
    new Linear(3 * 12 * 12, 50, { generator }), new ReLU(), new Linear(50, 10, { generator }),
  );
}

/** A batch of 128 standard-normal 1 × 28 × 28 images with labels 0..9. */
function batch(): [Tensor, Tensor] {
  const X = new Generator(1).normal([BATCH, 1, 28, 28], { dtype: "float32" });
  return [X, tensor(Array.from({ length: BATCH }, (_, i) => i % 10), { dtype: "int64" })];
}

/**
 * SINGD's own step (f-dangel/singd 1ac69a3 on Debian's PyTorch 1.13, float32,
 * T = 10, SINGD's defaults, this machine), ms per step amortized over
 * T = 10: the median of 7 calls of 10 steps after 20 warm-up steps, from
 * apps/bench/scripts/singd-pytorch-step.py; AdamW is torch.optim.AdamW. Per
 * thread count, the lowest of the script's runs on 2026-12-08 (load average
 * 4.8-10.6 from other jobs; see the README). With 2 threads PyTorch's OpenMP
 * pool spins on the loaded cores: those numbers are 10-50× its 1-thread ones.
 */
const PYTORCH_MS: Readonly<Record<number, Readonly<Record<string, number>>>> = {
  1: { adamw: 1.15, dense: 3.05, diagonal: 1.69, block30diagonal: 3.54, hierarchical15_15: 3.09, triltoeplitz: 39.87, triutoeplitz: 39.29 },
  2: { adamw: 23.13, dense: 118.73, diagonal: 126.11, block30diagonal: 11.04, hierarchical15_15: 12.16, triltoeplitz: 66.58, triutoeplitz: 30.35 },
};

type Optimizer = { step(batch: readonly [Tensor, Tensor]): Promise<number> };

const adamw = (threads: number): Optimizer => new AdamW(fashionCnn(0), new CrossEntropyLoss(), runtime(threads));

/** Per SINGD case: its own ms per step and the ratio to the AdamW steps run right after, one entry per timed call. */
const paired = new Map<string, { singd: number[]; ratio: number[] }>();

function stepCase(name: string, threads: number, make: () => Optimizer, extra: Record<string, string | number>): BenchCase {
  const structure = extra.optimizer === "adamw" ? "adamw" : String(extra.structure);
  const key = `${structure}@${threads}`;
  const pytorch = PYTORCH_MS[threads]?.[structure];
  return {
    name: `${name} threads=${threads}`,
    iterations: 5,
    extra: { ...extra, batch: BATCH, steps_per_call: STEPS_PER_CALL, dtype: "float32", threads, ...(pytorch === undefined ? {} : { pytorch_ms_per_step: pytorch }) },
    prepare: async () => {
      const optimizer = make();
      const data = batch();
      await optimizer.step(data); // compile (and SINGD's first update) untimed
      const run = async (o: Optimizer) => {
        const start = performance.now();
        for (let i = 0; i < STEPS_PER_CALL; i++) await o.step(data);
        return (performance.now() - start) / STEPS_PER_CALL;
      };
      if (structure === "adamw") return () => run(optimizer);
      const baseline = adamw(threads);
      await baseline.step(data);
      const record = { singd: [] as number[], ratio: [] as number[] };
      paired.set(key, record);
      return async () => {
        const own = await run(optimizer);
        const reference = await run(baseline);
        record.singd.push(own);
        record.ratio.push(own / reference);
      };
    },
  };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Bytes SINGD stores for K, C, m_K, m_C of every layer. */
function preconditionerBytes(structure: string): number {
  const singd = new SINGD(fashionCnn(0), new CrossEntropyLoss(), { structures: [structure, structure], onWarning: () => {} });
  let bytes = 0;
  for (const p of singd.preconditioners.values()) for (const m of [p.K, p.C, p.mK, p.mC]) bytes += m?.byteLength ?? 0;
  return bytes;
}

const GOALS: Readonly<Record<string, number>> = { dense: 2, diagonal: 1.2 };

function summarize(results: readonly CaseResult[]): SuiteSummary {
  const report: Record<string, Record<string, number>> = {};
  const lines = ["  structure@threads    ms/step   × AdamW (paired)   goal   PyTorch ms/step (SINGD; AdamW)   preconditioner bytes"];
  for (const r of results) {
    const structure = r.extra.optimizer === "adamw" ? "adamw" : String(r.extra.structure);
    const key = `${structure}@${String(r.extra.threads)}`;
    const own = paired.get(key);
    // The warm-up calls are recorded too: the last `samples` entries are the timed ones.
    const timed = (values: number[]) => values.slice(-r.samples);
    const ms = own === undefined ? r.medianMs / STEPS_PER_CALL : median(timed(own.singd));
    const ratio = own === undefined ? (structure === "adamw" ? 1 : undefined) : median(timed(own.ratio));
    report[key] = {
      ms_per_step: ms, ...(ratio === undefined ? {} : { over_adamw: ratio }),
      ...(typeof r.extra.pytorch_ms_per_step === "number" ? { pytorch_ms_per_step: r.extra.pytorch_ms_per_step } : {}),
      ...(typeof r.extra.preconditioner_bytes === "number" ? { preconditioner_bytes: r.extra.preconditioner_bytes } : {}),
    };
    lines.push(`  ${key.padEnd(20)}${ms.toFixed(2).padStart(7)}   ${ratio === undefined ? "             -" : ratio.toFixed(2).padStart(14)}    ${GOALS[structure] === undefined ? "   -" : `≤${GOALS[structure]}`.padStart(4)}   ${String(r.extra.pytorch_ms_per_step ?? "-").padStart(30)}   ${String(r.extra.preconditioner_bytes ?? "-").padStart(20)}`);
  }
  return { report: { singd: report }, lines };
}

export const singdSuite: BenchSuite = {
  name: "singd",
  description: "one training step of the Fashion-MNIST CNN (batch 128, float32, ORT CPU 2 and 1 threads), SINGD per structure (T = 10, amortized) vs AdamW",
  cases: () => THREADS.flatMap((threads) => [
    stepCase("adamw step", threads, () => adamw(threads), { optimizer: "adamw" }),
    ...Object.keys(SUPPORTED_STRUCTURES).map((structure) => stepCase(
      `singd ${structure} step`, threads,
      () => new SINGD(fashionCnn(0), new CrossEntropyLoss(), { ...runtime(threads), structures: [structure, structure], T: 10, onWarning: () => {} }),
      { optimizer: "singd", structure, T: 10, preconditioner_bytes: preconditionerBytes(structure) },
    )),
  ]),
  summarize,
};
