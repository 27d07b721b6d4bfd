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

const BATCH = 128;
const STEPS_PER_CALL = 10;
const RUNTIME = { runtime: "ort", providers: ["cpu"], threads: 2 } as const;

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
 * 2 threads, this machine), ms per step amortized over T = 10, from
 * apps/bench/scripts/singd-pytorch-step.py; AdamW is torch.optim.AdamW.
 */
const PYTORCH_MS: Readonly<Record<string, number>> = {
  adamw: 1.82, dense: 72.18, diagonal: 32.36, block30diagonal: 60.67, hierarchical15_15: 36.44, triltoeplitz: 292.02, triutoeplitz: 424.25,
};

type Optimizer = { step(batch: readonly [Tensor, Tensor]): Promise<number> };

const adamw = (): Optimizer => new AdamW(fashionCnn(0), new CrossEntropyLoss(), { ...RUNTIME });

/** Per SINGD case: its own ms per step and the ratio to the AdamW steps run right after, one entry per timed call. */
const paired = new Map<string, { singd: number[]; ratio: number[] }>();

function stepCase(name: string, make: () => Optimizer, extra: Record<string, string | number>): BenchCase {
  const key = extra.optimizer === "adamw" ? "adamw" : String(extra.structure);
  return {
    name,
    iterations: 5,
    extra: { ...extra, batch: BATCH, steps_per_call: STEPS_PER_CALL, dtype: "float32", threads: RUNTIME.threads, ...(PYTORCH_MS[key] === undefined ? {} : { pytorch_ms_per_step: PYTORCH_MS[key] }) },
    prepare: async () => {
      const optimizer = make();
      const data = batch();
      await optimizer.step(data); // compile (and SINGD's first update) untimed
      const run = async (o: Optimizer) => {
        const start = performance.now();
        for (let i = 0; i < STEPS_PER_CALL; i++) await o.step(data);
        return (performance.now() - start) / STEPS_PER_CALL;
      };
      if (key === "adamw") return () => run(optimizer);
      const baseline = adamw();
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
  const lines = ["  structure          ms/step   × AdamW (paired)   goal   PyTorch ms/step (SINGD; AdamW)   preconditioner bytes"];
  for (const r of results) {
    const key = r.extra.optimizer === "adamw" ? "adamw" : String(r.extra.structure);
    const own = paired.get(key);
    // The warm-up calls are recorded too: the last `samples` entries are the timed ones.
    const timed = (values: number[]) => values.slice(-r.samples);
    const ms = own === undefined ? r.medianMs / STEPS_PER_CALL : median(timed(own.singd));
    const ratio = own === undefined ? (key === "adamw" ? 1 : undefined) : median(timed(own.ratio));
    report[key] = {
      ms_per_step: ms, ...(ratio === undefined ? {} : { over_adamw: ratio }),
      ...(typeof r.extra.pytorch_ms_per_step === "number" ? { pytorch_ms_per_step: r.extra.pytorch_ms_per_step } : {}),
      ...(typeof r.extra.preconditioner_bytes === "number" ? { preconditioner_bytes: r.extra.preconditioner_bytes } : {}),
    };
    lines.push(`  ${key.padEnd(18)} ${ms.toFixed(2).padStart(7)}   ${ratio === undefined ? "             -" : ratio.toFixed(2).padStart(14)}    ${GOALS[key] === undefined ? "   -" : `≤${GOALS[key]}`.padStart(4)}   ${String(r.extra.pytorch_ms_per_step ?? "-").padStart(30)}   ${String(r.extra.preconditioner_bytes ?? "-").padStart(20)}`);
  }
  return { report: { singd: report }, lines };
}

export const singdSuite: BenchSuite = {
  name: "singd",
  description: "one training step of the Fashion-MNIST CNN (batch 128, float32, ORT CPU 2 threads), SINGD per structure (T = 10, amortized) vs AdamW",
  cases: () => [
    stepCase("adamw step", () => new AdamW(fashionCnn(0), new CrossEntropyLoss(), { ...RUNTIME }), { optimizer: "adamw" }),
    ...Object.keys(SUPPORTED_STRUCTURES).map((structure) => stepCase(
      `singd ${structure} step`,
      () => new SINGD(fashionCnn(0), new CrossEntropyLoss(), { ...RUNTIME, structures: [structure, structure], T: 10, onWarning: () => {} }),
      { optimizer: "singd", structure, T: 10, preconditioner_bytes: preconditionerBytes(structure) },
    )),
  ],
  summarize,
};
