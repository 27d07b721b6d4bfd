// The Monte-Carlo Fisher (GGNLinearOperator and GGNDiagonalLinearOperator
// with mcSamples > 0) converges to the exact GGN, with curvlinops' protocol
// and tolerances: batches of 100 samples, reseeded seed + 1 each time, the
// running mean checked after each, up to 40 x 100 samples; entries
// normalized by the exact matrix's largest |entry|, then rtol 0.1 and atol
// 0.015. It is reproducible (reseeded every product) and one fixed matrix.
import { Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { MSELoss } from "@curv/autodiff";
import { describe, expect, it } from "vitest";
import { GGNDiagonalLinearOperator } from "./ggn-diagonal-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { loadMlpMseFixture } from "./testing/mlp-mse-fixture.js";
import { PROBLEMS } from "./testing/problems.js";
import type { CurvatureProblem } from "./testing/dense-curvature.js";

const MC_TOLERANCE = { rtol: 0.1, atol: 0.015 };
const SAMPLES_PER_RUN = 100;
const MAX_RUNS = 40;

function fixtureProblem(): CurvatureProblem & { name: string } {
  const fixture = loadMlpMseFixture("nn modules", "float64");
  return { name: "mlp-mse fixture (MSE)", model: fixture.model, loss: new MSELoss(), batches: fixture.batches };
}

const CASES = [fixtureProblem, ...PROBLEMS].map((make) => [make().name, make] as const);

function normalized(values: Float64Array | number[], scale: number): number[] {
  return Array.from(values, (v) => v / scale);
}

function maxAbs(t: Tensor): number {
  return Math.max(...Array.from(t.data as ArrayLike<number>, Math.abs));
}

/** The runs of `estimate(seed)` needed until the running mean matches `exact`; Infinity if MAX_RUNS do not suffice. */
async function runsToConverge(exact: Tensor, estimate: (seed: number) => Promise<Tensor>): Promise<number> {
  const scale = maxAbs(exact);
  const target = normalized(exact.data as Float64Array, scale);
  const sum = new Float64Array(exact.size);
  for (let run = 1; run <= MAX_RUNS; run++) {
    const sample = await estimate(run);
    for (let i = 0; i < sum.length; i++) sum[i] += sample.data[i] as number;
    if (compare(normalized(sum, scale * run), target, MC_TOLERANCE).ok) return run;
  }
  return Infinity;
}

describe.each(CASES)("%s", (_name, make) => {
  const { model, loss, batches } = make();
  const names = model.namedParameters().map(([name]) => name);
  const options = { runtime: "js" } as const;
  const exactGgn = () => new GGNLinearOperator(model, loss, names, batches, options).toDense();

  it("MC Fisher: converges to the GGN within 40 x 100 samples; one sample does not match", async () => {
    const exact = await exactGgn();
    const mc = (seed: number, mcSamples: number) => new GGNLinearOperator(model, loss, names, batches, { ...options, mcSamples, seed }).toDense();
    expect(await runsToConverge(exact, (seed) => mc(seed, SAMPLES_PER_RUN))).toBeLessThanOrEqual(MAX_RUNS);
    const one = await mc(0, 1);
    expect(compare(normalized(one.data as Float64Array, maxAbs(exact)), normalized(exact.data as Float64Array, maxAbs(exact)), MC_TOLERANCE).ok).toBe(false);
  });

  it("MC GGN diagonal: converges to the GGN's diagonal", async () => {
    const exact = await GGNDiagonalLinearOperator.compute(model, loss, names, batches, options);
    const mc = async (seed: number) => (await GGNDiagonalLinearOperator.compute(model, loss, names, batches, { ...options, mcSamples: SAMPLES_PER_RUN, seed })).values;
    expect(await runsToConverge(exact.values, mc)).toBeLessThanOrEqual(MAX_RUNS);
  });
});

describe("MC reproducibility", () => {
  const { model, loss, batches } = fixtureProblem();
  const names = model.namedParameters().map(([name]) => name);
  const make = (seed: number) => new GGNLinearOperator(model, loss, names, batches, { runtime: "js", mcSamples: 3, seed });
  const v = new Tensor("float64", [88], Float64Array.from({ length: 88 }, (_, i) => Math.sin(i)));

  it("the same seed gives the same products, on one operator and on two; another seed does not", async () => {
    const operator = make(7);
    const first = await operator.matvec(v);
    expect((await operator.matvec(v)).toArray()).toEqual(first.toArray());
    expect((await make(7).matvec(v)).toArray()).toEqual(first.toArray());
    expect((await make(8).matvec(v)).toArray()).not.toEqual(first.toArray());
  });

  it("the diagonal: the same seed gives the same values", async () => {
    const compute = (seed: number) => GGNDiagonalLinearOperator.compute(model, loss, names, batches, { runtime: "js", mcSamples: 2, seed });
    expect((await compute(3)).values.toArray()).toEqual((await compute(3)).values.toArray());
    expect((await compute(3)).values.toArray()).not.toEqual((await compute(4)).values.toArray());
  });
});
