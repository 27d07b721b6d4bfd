import { CrossEntropyLoss, type Module } from "@curv/autodiff";
import {
  readSingdCnnGolden, readSingdMlpGolden, readSingdMlpState, readSingdSequenceGolden, type JsonTensor, type SingdMlpLayerState, type SingdMlpOptions,
} from "@curv/fixtures";
import type { Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { SINGD } from "./singd.js";
import type { SINGDOptions } from "./singd-options.js";
import {
  flatParameters, singdCnnBatches, singdCnnModel, singdMlpBatches, singdMlpModel, singdOptionsOf, singdSequenceBatches, singdSequenceModel,
} from "./testing/singd-fixture-cases.js";

/** max |a − b| / max |b|. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return worst / scale;
}

interface Trajectory {
  readonly options: SingdMlpOptions;
  readonly losses: number[];
  readonly params: JsonTensor[];
}

/** Trains `model` as the run did; returns the worst relative errors of the losses and of each step's parameters, and the optimizer. */
async function replay(model: Module, batches: [Tensor, Tensor][], run: Trajectory, extra: SINGDOptions = {}): Promise<{ loss: number; params: number[]; singd: SINGD }> {
  const singd = new SINGD(model, new CrossEntropyLoss(), { ...singdOptionsOf(run.options), runtime: "js", onWarning: () => {}, ...extra });
  let loss = 0;
  const params: number[] = [];
  for (let step = 0; step < run.losses.length; step++) {
    const value = await singd.step(batches[step % batches.length]);
    loss = Math.max(loss, Math.abs(value - run.losses[step]) / Math.abs(run.losses[step]));
    params.push(relativeError(flatParameters(model), run.params[step].data));
  }
  return { loss, params, singd };
}

/** The worst relative error of K, C, m_K, m_C (dense) against the fixture's, over the layers. */
function stateError(singd: SINGD, state: Record<string, SingdMlpLayerState>): number {
  let worst = 0;
  for (const [layer, expected] of Object.entries(state)) {
    const p = singd.preconditioners.get(layer);
    if (p === undefined) throw new Error(`no pre-conditioner for layer ${layer}`);
    const pairs: [Tensor | undefined, JsonTensor | undefined][] = [[p.K.toDense(), expected.K], [p.C.toDense(), expected.C], [p.mK?.toDense(), expected.m_K], [p.mC?.toDense(), expected.m_C]];
    for (const [actual, reference] of pairs) {
      expect(actual === undefined, `layer ${layer}: m_K/m_C allocated iff alpha1 ≠ 0`).toBe(reference === undefined);
      if (actual !== undefined && reference !== undefined) worst = Math.max(worst, relativeError(actual.data as Float64Array, reference.data));
    }
  }
  return worst;
}

const mlp = readSingdMlpGolden();
const mlpState = readSingdMlpState();

describe("SINGD against SINGD's own trajectories (singd-mlp fixture, float64, js runtime)", () => {
  it.each(Object.keys(mlp.runs))("%s: every step's parameters, the losses, and K, C, m_K, m_C after the last step to 1e-10 relative", async (name) => {
    // SINGD's block-diagonal products skip transposes; the quirk option reproduces them.
    const { loss, params, singd } = await replay(singdMlpModel("float64"), singdMlpBatches("float64"), mlp.runs[name], { singdBlockDiagonalQuirk: name === "block30diagonal" });
    expect(loss).toBeLessThan(1e-10);
    expect(Math.max(...params), `per-step errors ${params.map((e) => e.toExponential(1)).join(" ")}`).toBeLessThan(1e-10);
    expect(stateError(singd, mlpState[name])).toBeLessThan(1e-10);
  });

  it("block30diagonal without SINGD's quirk: the same step 0 (K = I − β₁m is symmetric), then K's second update makes it non-symmetric and the transposes matter", async () => {
    const { params } = await replay(singdMlpModel("float64"), singdMlpBatches("float64"), mlp.runs.block30diagonal);
    expect(params[0]).toBeLessThan(1e-10);
    expect(Math.min(...params.slice(1))).toBeGreaterThan(1e-8);
  });
});

const cnn = readSingdCnnGolden();

describe("SINGD against SINGD's own trajectories on Conv2d layers (singd-cnn fixture: stride, padding, groups, no bias; expand and reduce)", () => {
  it.each(Object.keys(cnn.runs))("%s: every step's parameters, the losses, and the last state to 1e-10 relative", async (name) => {
    const { loss, params, singd } = await replay(singdCnnModel("float64"), singdCnnBatches("float64"), cnn.runs[name]);
    expect(loss).toBeLessThan(1e-10);
    expect(Math.max(...params), `per-step errors ${params.map((e) => e.toExponential(1)).join(" ")}`).toBeLessThan(1e-10);
    expect(stateError(singd, cnn.runs[name].state)).toBeLessThan(1e-10);
  });
});

const sequence = readSingdSequenceGolden();

describe("SINGD against SINGD's own trajectories on Linear layers with weight sharing (singd-sequence fixture: [N, 3, 5] inputs)", () => {
  it.each(Object.keys(sequence.runs))("%s: every step's parameters, the losses, and the last state to 1e-10 relative", async (name) => {
    // reduce_sum_T3's K is block-diagonal: SINGD's products skip its transposes (see the MLP's block30diagonal).
    const quirk = (sequence.runs[name].options.structures ?? []).some((s) => s.startsWith("block"));
    const { loss, params, singd } = await replay(singdSequenceModel("float64"), singdSequenceBatches("float64"), sequence.runs[name], { singdBlockDiagonalQuirk: quirk });
    expect(loss).toBeLessThan(1e-10);
    expect(Math.max(...params), `per-step errors ${params.map((e) => e.toExponential(1)).join(" ")}`).toBeLessThan(1e-10);
    expect(stateError(singd, sequence.runs[name].state)).toBeLessThan(1e-10);
  });
});

describe("SINGD on ORT's CPU provider in float32", () => {
  // Measured: parameters within 7e-7 of the float64 trajectory, losses within 1e-7.
  it.each(["dense", "hierarchical15_15", "diagonal_sum_normalize"])("%s: the float64 trajectory to 1e-5 relative over 10 steps", async (name) => {
    const { loss, params } = await replay(singdMlpModel("float32"), singdMlpBatches("float32"), mlp.runs[name], { runtime: "ort" });
    expect(loss).toBeLessThan(1e-6);
    expect(Math.max(...params)).toBeLessThan(1e-5);
  });

  it("expand_dense CNN: the float64 trajectory to 1e-5 relative", async () => {
    const { loss, params } = await replay(singdCnnModel("float32"), singdCnnBatches("float32"), cnn.runs.expand_dense, { runtime: "ort" });
    expect(loss).toBeLessThan(1e-6);
    expect(Math.max(...params)).toBeLessThan(1e-5);
  });
});
