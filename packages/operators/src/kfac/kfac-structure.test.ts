// The exact reductions and inverses of KFAC and EKFAC against their dense matrices, and EKFAC's
// relation to the GGN (George et al. 2018): the same trace, and closer in Frobenius norm than KFAC.
import { Conv2d, CrossEntropyLoss, Flatten, Linear, MSELoss, ReLU, Sequential, Tanh } from "@curv/autodiff";
import { Generator, LinAlgError, gemm, slogdet, tensor, type Tensor } from "@curv/tensor";
import { assertAllClose, compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { cnnCrossEntropy } from "../curvature/testing/problems.js";
import { EKFACLinearOperator } from "./ekfac-linear-operator.js";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import { blockDiagonalPart, denseGGN } from "./testing/dense-ggn.js";
import { denseKFAC, plusIdentity } from "./testing/dense-kfac.js";
import { kfacGroups, MeanOverPositions, randomBatches } from "./testing/kfac-models.js";
import { FIXTURE_PARAMETERS, fixtureMatrix, fixtureProblem } from "./testing/mlp-mse-fixture.js";

const classTargets = (classes: number) => (g: Generator, n: number) => tensor(Array.from({ length: n }, () => Math.floor(g.uniform([1]).data[0] * classes)), { dtype: "int64" });

/** An MLP with cross-entropy on 12 examples in two batches: enough data for positive definite factors. */
function classifier() {
  const generator = new Generator(21);
  const model = new Sequential(new Linear(3, 4, { dtype: "float64", generator }), new Tanh(), new Linear(4, 3, { dtype: "float64", generator }));
  const batches = randomBatches([7, 5], [3], classTargets(3), 22);
  return { model, batches, params: model.namedParameters().map(([name]) => name), loss: new CrossEntropyLoss() };
}

/** An MLP with MSE on 12 examples in two batches: every factor positive definite. */
function regression() {
  const generator = new Generator(23);
  const model = new Sequential(new Linear(3, 4, { dtype: "float64", generator }), new Tanh(), new Linear(4, 3, { dtype: "float64", generator }));
  const batches = randomBatches([7, 5], [3], (g, n) => g.normal([n, 3], { dtype: "float64" }), 24);
  return { model, batches, params: model.namedParameters().map(([name]) => name), loss: new MSELoss() };
}

function expectIdentity(product: Tensor<"float64">, what: string): void {
  const n = product.shape[0];
  const identity = Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
  const report = compare(product.data, identity, { rtol: 0, atol: 1e-9 });
  expect(report.ok, `${what}: ${report.message}`).toBe(true);
}

function frobenius(m: Tensor<"float64">): number {
  return Math.sqrt(m.data.reduce((s, v) => s + v * v, 0));
}

function difference(a: Tensor<"float64">, b: Tensor<"float64">): Tensor<"float64"> {
  const out = a.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i] -= b.data[i];
  return out;
}

const OPERATORS = [
  { name: "KFAC", Operator: KFACLinearOperator },
  { name: "EKFAC", Operator: EKFACLinearOperator },
] as const;

describe.each(OPERATORS)("$name: trace, det, logdet and Frobenius norm equal the dense matrix's (js, float64)", ({ Operator }) => {
  it.each([{ separateWeightAndBias: false }, { separateWeightAndBias: true }])("separateWeightAndBias: $separateWeightAndBias", async ({ separateWeightAndBias }) => {
    const { model, batches, params, loss } = regression();
    const operator = new Operator<"float64">(model, loss, params, batches, { fisherType: "type-2", separateWeightAndBias, runtime: "js" });
    const dense = await operator.toDense();
    const { sign, logAbsDet } = slogdet(dense);
    expect(sign).toBe(1);
    const diagonal = Array.from({ length: dense.shape[0] }, (_, i) => dense.data[i * dense.shape[0] + i]);
    expect(await operator.trace()).toBeCloseTo(diagonal.reduce((a, b) => a + b, 0), 12);
    expect(await operator.frobeniusNorm()).toBeCloseTo(frobenius(dense), 12);
    expect(await operator.logdet()).toBeCloseTo(logAbsDet, 8);
    expect(Math.log(await operator.det())).toBeCloseTo(logAbsDet, 8);
  });
});

describe("KFAC inverse (js, float64): curvlinops' three dampings", () => {
  const delta = 0.05;
  it.each([{ separateWeightAndBias: false }, { separateWeightAndBias: true }])("per factor, heuristic and exact; separateWeightAndBias: $separateWeightAndBias", async ({ separateWeightAndBias }) => {
    const { model, batches, params, loss } = regression();
    const kfac = new KFACLinearOperator<"float64">(model, loss, params, batches, { fisherType: "type-2", separateWeightAndBias, runtime: "js" });
    const factors = await kfac.factors();
    const times = async (inverse: Promise<{ toDense(): Promise<Tensor<"float64">> }>, dense: Tensor<"float64">) => gemm(await (await inverse).toDense(), dense);

    // Default: (G + δI)⁻¹ ⊗ (A + δI)⁻¹.
    const perFactor = denseKFAC(model, factors, separateWeightAndBias, () => [delta, delta], delta);
    expectIdentity(await times(kfac.inverse({ damping: delta }), perFactor), "per-factor damping");

    // Martens & Grosse (2015), section 6.3: π² = (tr A / d_A) / (tr G / d_G), δ_A = π√δ, δ_G = √δ/π; a bias block gets δ.
    const meanEigenvalue = (m: Tensor) => Array.from({ length: m.shape[0] }, (_, i) => m.data[i * m.shape[0] + i] as number).reduce((a, b) => a + b, 0) / m.shape[0];
    const heuristic = denseKFAC(model, factors, separateWeightAndBias, (f) => {
      const pi = Math.sqrt(meanEigenvalue(f.inputCovariance!) / meanEigenvalue(f.gradientCovariance));
      return [Math.sqrt(delta) / pi, pi * Math.sqrt(delta)];
    }, delta);
    expectIdentity(await times(kfac.inverse({ damping: delta, heuristicDamping: true }), heuristic), "heuristic damping");

    // Exact: (K + δI)⁻¹.
    expectIdentity(await times(kfac.inverse({ damping: delta, exactDamping: true }), plusIdentity(await kfac.toDense(), delta)), "exact damping");
    // Undamped: K⁻¹.
    expectIdentity(await times(kfac.inverse(), await kfac.toDense()), "no damping");
  });

  it("a singular factor without damping is a LinAlgError; damping fixes it", async () => {
    // A ReLU unit after the fixture's first layer is never active: a zero row of that layer's G (and of the next layer's A).
    const { model, batches } = fixtureProblem("float64");
    const kfac = new KFACLinearOperator<"float64">(model, new MSELoss(), FIXTURE_PARAMETERS, batches, { fisherType: "type-2", runtime: "js" });
    await expect(kfac.inverse()).rejects.toThrow(LinAlgError);
    await expect(kfac.inverse()).rejects.toThrow(/KFACLinearOperator.inverse: the block of "0.weight" \(layer "0"\) is singular/);
    expect(await kfac.logdet()).toBe(-Infinity);
    expectIdentity(gemm(await (await kfac.inverse({ damping: 1e-2 })).toDense(), denseKFAC(model, await kfac.factors(), true, () => [1e-2, 1e-2], 1e-2)), "damped");
  });
});

describe("EKFAC (js, float64)", () => {
  it("inverse(δ) is (EKFAC + δI)⁻¹", async () => {
    const { model, batches, params, loss } = regression();
    const ekfac = new EKFACLinearOperator<"float64">(model, loss, params, batches, { fisherType: "type-2", runtime: "js" });
    expectIdentity(gemm(await (await ekfac.inverse(0.05)).toDense(), plusIdentity(await ekfac.toDense(), 0.05)), "EKFAC inverse");
  });

  const problems = [
    { name: "the mlp-mse fixture", problem: () => ({ ...fixtureProblem("float64"), params: FIXTURE_PARAMETERS, loss: new MSELoss() }), ggn: async () => fixtureMatrix("ggn") },
    { name: "an MLP with cross-entropy", problem: classifier, ggn: async () => { const c = classifier(); return denseGGN(c.model, c.loss, c.batches); } },
  ];

  describe.each(problems)("on $name", ({ problem, ggn }) => {
    it.each([{ separateWeightAndBias: false }, { separateWeightAndBias: true }])("type-2: the GGN's trace, and closer to the block-diagonal GGN than KFAC (separateWeightAndBias: $separateWeightAndBias)", async ({ separateWeightAndBias }) => {
      const { model, batches, params, loss } = problem();
      const options = { fisherType: "type-2", separateWeightAndBias, runtime: "js" } as const;
      const ekfac = new EKFACLinearOperator<"float64">(model, loss, params, batches, options);
      const kfac = new KFACLinearOperator<"float64">(model, loss, params, batches, options);
      const exact = await ggn();
      const n = exact.shape[0];
      const ggnTrace = Array.from({ length: n }, (_, i) => exact.data[i * n + i]).reduce((a, b) => a + b, 0);
      expect(Math.abs((await ekfac.trace()) - ggnTrace)).toBeLessThan(1e-12 * ggnTrace);
      const blocks = blockDiagonalPart(exact, kfacGroups(model, separateWeightAndBias));
      const ekfacError = frobenius(difference(await ekfac.toDense(), blocks));
      const kfacError = frobenius(difference(await kfac.toDense(), blocks));
      expect(ekfacError).toBeLessThan(kfacError);
      // KFAC is not exact here, so the comparison means something.
      expect(kfacError).toBeGreaterThan(1e-6 * frobenius(blocks));
    });
  });
});

describe("EKFAC's other Fisher types keep the trace of what they approximate (the mlp-mse fixture, js, float64)", () => {
  const traceOf = (m: Tensor<"float64">) => Array.from({ length: m.shape[0] }, (_, i) => m.data[i * m.shape[0] + i]).reduce((a, b) => a + b, 0);
  const ekfacTrace = async (fisherType: "empirical" | "mc", mcSamples = 1) => {
    const { model, batches } = fixtureProblem("float64");
    return new EKFACLinearOperator<"float64">(model, new MSELoss(), FIXTURE_PARAMETERS, batches, { fisherType, mcSamples, runtime: "js" }).trace();
  };

  it("empirical: the empirical Fisher's trace", async () => {
    const expected = traceOf(fixtureMatrix("empirical_fisher"));
    expect(Math.abs((await ekfacTrace("empirical")) - expected)).toBeLessThan(1e-12 * expected);
  });

  it("MC with 3000 samples: the GGN's trace within curvlinops' MC tolerance (10%)", async () => {
    const expected = traceOf(fixtureMatrix("ggn"));
    expect(Math.abs((await ekfacTrace("mc", 3000)) - expected)).toBeLessThan(0.1 * expected);
  });
});

describe("EKFAC's eigenvalue correction through both contractions: the GGN's trace (js, float64)", () => {
  const traceOf = (m: Tensor<"float64">) => Array.from({ length: m.shape[0] }, (_, i) => m.data[i * m.shape[0] + i]).reduce((a, b) => a + b, 0);
  it.each([
    {
      name: "a CNN with cross-entropy (per-example gradients: 16 locations)",
      problem: () => {
        const generator = new Generator(25);
        const model = new Sequential(new Conv2d(2, 3, 3, { padding: 1, dtype: "float64", generator }), new ReLU(), new Flatten(), new Linear(48, 3, { dtype: "float64", generator }));
        return { model, batches: randomBatches([3, 2], [2, 4, 4], classTargets(3), 26), loss: new CrossEntropyLoss() };
      },
    },
    {
      name: "Linear layers on sequences of 2, averaged, with MSE (layer 0 by the Gramian: 2²(10 + 11) < 10·11; layer 2 per example)",
      problem: () => {
        const generator = new Generator(27);
        const model = new Sequential(new Linear(10, 10, { dtype: "float64", generator }), new Tanh(), new Linear(10, 3, { dtype: "float64", generator }), new MeanOverPositions());
        return { model, batches: randomBatches([3, 2], [2, 10], (g, n) => g.normal([n, 3], { dtype: "float64" }), 28), loss: new MSELoss() };
      },
    },
  ])("$name", async ({ problem }) => {
    const { model, batches, loss } = problem();
    const params = model.namedParameters().map(([name]) => name);
    for (const separateWeightAndBias of [false, true]) {
      const ekfac = new EKFACLinearOperator<"float64">(model, loss, params, batches, { fisherType: "type-2", separateWeightAndBias, runtime: "js" });
      const expected = traceOf(await denseGGN(model, loss, batches));
      expect(Math.abs((await ekfac.trace()) - expected)).toBeLessThan(1e-12 * expected);
    }
  });
});

describe("EKFACLinearOperator({ kfacFactors })", () => {
  it("keeps the given factors' eigenbases and corrects the eigenvalues on its own data", async () => {
    const problem = cnnCrossEntropy();
    const names = problem.model.namedParameters().map(([name]) => name);
    const options = { runtime: "js", fisherType: "type-2", separateWeightAndBias: false } as const;
    const factors = await new KFACLinearOperator(problem.model, problem.loss, names, problem.batches, options).factors();
    const own = new EKFACLinearOperator(problem.model, problem.loss, names, problem.batches, options);
    const given = new EKFACLinearOperator(problem.model, problem.loss, names, problem.batches, { ...options, kfacFactors: factors });
    const [a, b] = [await own.toDense(), await given.toDense()];
    assertAllClose(b, a, { rtol: 1e-10, atol: 1e-13 }, "EKFAC from given factors");
    const decomposition = await given.eigendecomposition();
    expect(Object.keys(decomposition)).toEqual(["0", "3"]);
    expect(decomposition["3"].eigenvalues?.shape).toEqual([3 * 9]);
    expect(() => new EKFACLinearOperator(problem.model, problem.loss, names, problem.batches, { ...options, kfacFactors: { "0": factors["0"] } }))
      .toThrow(/kfacFactors has no factors of the layers "3"/);
  });
});
