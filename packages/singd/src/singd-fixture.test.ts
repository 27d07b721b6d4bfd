import { CrossEntropyLoss } from "@curv/autodiff";
import { readSingdMlpGolden } from "@curv/fixtures";
import { describe, expect, it } from "vitest";
import { SINGD } from "./singd.js";
import { flatParameters, singdMlpBatches, singdMlpModel, singdOptionsOf } from "./testing/singd-mlp-case.js";

const golden = readSingdMlpGolden();

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

describe("SINGD against SINGD's own trajectories (singd-mlp fixture, float64, js runtime)", () => {
  it.each(Object.keys(golden.runs))("%s: every step's parameters and loss to 1e-10 relative", async (name) => {
    const run = golden.runs[name];
    const model = singdMlpModel("float64");
    // SINGD's block-diagonal products skip transposes; the quirk option reproduces them.
    const singd = new SINGD(model, new CrossEntropyLoss(), {
      ...singdOptionsOf(run.options), runtime: "js", onWarning: () => {}, singdBlockDiagonalQuirk: name === "block30diagonal",
    });
    const batches = singdMlpBatches("float64");
    const errors: number[] = [];
    for (let step = 0; step < golden.steps; step++) {
      const loss = await singd.step(batches[step % batches.length]);
      expect(Math.abs(loss - run.losses[step]) / Math.abs(run.losses[step])).toBeLessThan(1e-10);
      errors.push(relativeError(flatParameters(model), run.params[step].data));
    }
    expect(Math.max(...errors), `per-step errors ${errors.map((e) => e.toExponential(1)).join(" ")}`).toBeLessThan(1e-10);
  });

  it("block30diagonal without SINGD's quirk: the same step 0 (K = I − β₁m is symmetric), then K's second update makes it non-symmetric and the transposes matter", async () => {
    const run = golden.runs.block30diagonal;
    const model = singdMlpModel("float64");
    const singd = new SINGD(model, new CrossEntropyLoss(), { ...singdOptionsOf(run.options), runtime: "js", onWarning: () => {} });
    const batches = singdMlpBatches("float64");
    const errors: number[] = [];
    for (let step = 0; step < golden.steps; step++) {
      await singd.step(batches[step % batches.length]);
      errors.push(relativeError(flatParameters(model), run.params[step].data));
    }
    expect(errors[0]).toBeLessThan(1e-10);
    expect(Math.min(...errors.slice(1))).toBeGreaterThan(1e-8);
  });
});
