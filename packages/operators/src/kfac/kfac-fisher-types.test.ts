// The Fisher types besides type-2 (curvlinops' FisherType): forward-only (G = I), the empirical
// Fisher (the true gradient backpropagated), Monte-Carlo (reproducible by seed, converging to type-2),
// and the loss terms per example R of sequence outputs.
import { CrossEntropyLoss, Linear, MSELoss, Sequential, Tanh } from "@curv/autodiff";
import { Generator, tensor, type Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import type { KFACOptions } from "./kfac-options.js";
import { deepLinearNetwork, randomBatches } from "./testing/kfac-models.js";
import { FIXTURE_OUTPUTS, FIXTURE_PARAMETERS, fixtureProblem } from "./testing/mlp-mse-fixture.js";

async function fixtureFactors(options: KFACOptions) {
  const { model, batches } = fixtureProblem("float64");
  return new KFACLinearOperator<"float64">(model, new MSELoss(), FIXTURE_PARAMETERS, batches, { runtime: "js", ...options }).factors();
}

function expectClose(actual: Tensor, expected: Tensor | ArrayLike<number>, tolerance: { rtol: number; atol: number }, what: string): void {
  const report = compare(actual.data as ArrayLike<number>, "data" in expected ? (expected.data as ArrayLike<number>) : expected, tolerance);
  expect(report.ok, `${what}: ${report.message}`).toBe(true);
}

/** curvlinops' Monte-Carlo check: entries compared after dividing both by the reference's largest magnitude. */
function expectMonteCarloClose(actual: Tensor, expected: Tensor, what: string): void {
  let largest = 0;
  for (const v of expected.data as Float64Array) largest = Math.max(largest, Math.abs(v));
  const scaled = (t: Tensor) => Array.from(t.data as Float64Array, (v) => v / largest);
  const report = compare(scaled(actual), scaled(expected), { rtol: 0.1, atol: 0.015 });
  expect(report.ok, `${what}: ${report.message}`).toBe(true);
}

describe("KFAC's Fisher types (js, float64)", () => {
  it("forward-only: G = I, A as type-2's", async () => {
    const [forwardOnly, type2] = await Promise.all([fixtureFactors({ fisherType: "forward-only" }), fixtureFactors({ fisherType: "type-2" })]);
    for (const [layer, f] of Object.entries(forwardOnly)) {
      const n = f.gradientCovariance.shape[0];
      expect(f.gradientCovariance.toArray()).toEqual(Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0)));
      expect(f.inputCovariance!.toArray()).toEqual(type2[layer].inputCovariance!.toArray());
    }
  });

  it("empirical: G of the output layer is (1/N) Σ e eᵀ with e = 2 (f - y) / √C, the per-example MSE gradient scaled as curvlinops does", async () => {
    const { batches } = fixtureProblem("float64");
    const targets = batches.flatMap(([, y]) => Array.from({ length: y.shape[0] }, (_, i) => Array.from(y.data as Float64Array).slice(i * 3, i * 3 + 3)));
    const residuals = FIXTURE_OUTPUTS.map((f, n) => f.map((v, c) => (2 * (v - targets[n][c])) / Math.sqrt(3)));
    const expected = Array.from({ length: 9 }, (_, k) => residuals.reduce((s, e) => s + e[Math.floor(k / 3)] * e[k % 3], 0) / residuals.length);
    const [empirical, type2] = await Promise.all([fixtureFactors({ fisherType: "empirical" }), fixtureFactors({ fisherType: "type-2" })]);
    expectClose(empirical["4"].gradientCovariance, expected, { rtol: 1e-12, atol: 1e-15 }, "G of the output layer");
    expect(empirical["0"].inputCovariance!.toArray()).toEqual(type2["0"].inputCovariance!.toArray());
  });

  it("MC: the same seed gives the same factors, another seed others", async () => {
    const [a, b, c] = await Promise.all([
      fixtureFactors({ fisherType: "mc", mcSamples: 2 }),
      fixtureFactors({ fisherType: "mc", mcSamples: 2 }),
      fixtureFactors({ fisherType: "mc", mcSamples: 2, seed: 1 }),
    ]);
    expect(a["2"].gradientCovariance.toArray()).toEqual(b["2"].gradientCovariance.toArray());
    expect(a["2"].gradientCovariance.toArray()).not.toEqual(c["2"].gradientCovariance.toArray());
  });

  it.each([
    { name: "MSE (the fixture)", problem: () => ({ ...fixtureProblem("float64"), loss: new MSELoss() }) },
    {
      name: "cross-entropy",
      problem: () => {
        const generator = new Generator(31);
        const model = new Sequential(new Linear(3, 4, { dtype: "float64", generator }), new Tanh(), new Linear(4, 3, { dtype: "float64", generator }));
        const labels = (g: Generator, n: number) => tensor(Array.from({ length: n }, () => Math.floor(g.uniform([1]).data[0] * 3)), { dtype: "int64" });
        return { model, batches: randomBatches([4, 3], [3], labels, 32), loss: new CrossEntropyLoss() };
      },
    },
  ])("MC with 3000 samples is within curvlinops' MC tolerances of type-2: $name", async ({ problem }) => {
    const { model, batches, loss } = problem();
    const params = model.namedParameters().map(([name]) => name);
    const factorsOf = (options: KFACOptions) => new KFACLinearOperator<"float64">(model, loss, params, batches, { runtime: "js", ...options }).factors();
    const [mc, type2] = await Promise.all([factorsOf({ fisherType: "mc", mcSamples: 3000 }), factorsOf({ fisherType: "type-2" })]);
    for (const layer of Object.keys(type2)) expectMonteCarloClose(mc[layer].gradientCovariance, type2[layer].gradientCovariance, `G of layer ${layer}`);
  });

  it("numPerExampleLossTerms R: mean-reduced G is divided by N·R (default R: the output rows per example); sum ignores it", async () => {
    const model = deepLinearNetwork([3, 2], 33);
    const batches = randomBatches([2, 3], [4, 3], (g, n) => g.normal([n, 4, 2], { dtype: "float64" }), 34);
    const gOf = async (options: KFACOptions, reduction: "mean" | "sum" = "mean") => {
      const kfac = new KFACLinearOperator<"float64">(model, new MSELoss({ reduction }), ["0.weight", "0.bias"], batches, { runtime: "js", fisherType: "type-2", ...options });
      return Array.from((await kfac.factors())["0"].gradientCovariance.data);
    };
    const [inferred, four, eight] = await Promise.all([gOf({}), gOf({ numPerExampleLossTerms: 4 }), gOf({ numPerExampleLossTerms: 8 })]);
    expect(four).toEqual(inferred);
    eight.forEach((v, i) => expect(v).toBeCloseTo(inferred[i] / 2, 14));
    expect(await gOf({ numPerExampleLossTerms: 8 }, "sum")).toEqual(await gOf({}, "sum"));
  });
});

describe("MC KFAC draws on the host: the same seed gives the same factors on js (float64) and ORT CPU (float32)", () => {
  it.each([{ fisherType: "mc", mcSamples: 3 }, { fisherType: "empirical", mcSamples: 1 }] as const)("$fisherType", async ({ fisherType, mcSamples }) => {
    const on = async (dtype: "float64" | "float32", runtime: "js" | "ort") => {
      const { model, batches } = fixtureProblem(dtype);
      return new KFACLinearOperator(model, new MSELoss(), FIXTURE_PARAMETERS, batches, { fisherType, mcSamples, runtime }).factors();
    };
    const [reference, ort] = await Promise.all([on("float64", "js"), on("float32", "ort")]);
    for (const layer of Object.keys(reference)) {
      const expected = reference[layer].gradientCovariance;
      let largest = 0;
      for (const v of expected.data as Float64Array) largest = Math.max(largest, Math.abs(v));
      expectClose(ort[layer].gradientCovariance, expected, { rtol: 1e-4, atol: 1e-4 * largest }, `G of layer ${layer}`);
    }
  });
});
