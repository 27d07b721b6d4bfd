// The traced path of block-diagonal and hierarchical layers (dense forms in
// the step program, Π as the pattern's mask) against the structures' own
// closed forms on the host: the same trajectory and state in float64.
import { CrossEntropyLoss } from "@curv/autodiff";
import { afterEach, describe, expect, it } from "vitest";
import { tracingSwitch } from "./dense-preconditioner-graph.js";
import { SINGD } from "./singd.js";
import type { SINGDOptions } from "./singd-options.js";
import { flatParameters, singdMlpBatches, singdMlpModel } from "./testing/singd-fixture-cases.js";

const batches = singdMlpBatches("float64");
const base: SINGDOptions = { lr: 0.05, momentum: 0.9, damping: 1e-3, alpha1: 0.5, T: 2, lrCov: 0.1, runtime: "js", onWarning: () => {} };

async function run(options: SINGDOptions, structured: boolean): Promise<{ params: Float64Array; state: number[] }> {
  tracingSwitch.structured = structured;
  const singd = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), options);
  for (let step = 0; step < 7; step++) await singd.step(batches[step % batches.length]);
  const state: number[] = [];
  for (const p of singd.preconditioners.values()) {
    for (const m of [p.K, p.C, p.mK, p.mC]) if (m !== undefined) for (const v of m.toDense().data as Float64Array) state.push(v);
  }
  return { params: flatParameters(singd.model), state };
}

const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let scale = 0;
  let error = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    error = Math.max(error, Math.abs(a[i] - b[i]));
  }
  return error / scale;
};

describe("traced block-diagonal and hierarchical updates", () => {
  afterEach(() => {
    tracingSwitch.structured = true;
  });

  it.each<[string, Partial<SINGDOptions>]>([
    ["block7diagonal", {}],
    ["hierarchical3_2", { normalizeLrCov: true, weightDecay: 0.01 }],
    ["block30diagonal", { kfacLike: true, alpha1: 0 }],
    ["hierarchical15_15", {}],
  ])("%s %j: the traced trajectory and K, C, m_K, m_C equal the host's closed forms to 1e-12", async (structure, extra) => {
    const options = { ...base, ...extra, structures: [structure, structure] as [string, string] };
    const traced = await run(options, true);
    const host = await run(options, false);
    expect(traced.state.length).toBe(host.state.length);
    expect(maxRelative(traced.params, host.params)).toBeLessThan(1e-12);
    expect(maxRelative(traced.state, host.state)).toBeLessThan(1e-12);
  });
});
