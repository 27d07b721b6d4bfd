// curvlinops' exactness cases, in float64 on js: type-2 KFAC equals the block-diagonal GGN (built
// from GGN-vector products, not from layer taps) where its independence assumptions hold exactly.
import { BCEWithLogitsLoss, CrossEntropyLoss, Linear, MSELoss, ReLU, Sequential, Sigmoid, Tanh, type CurvatureLoss, type Module } from "@curv/autodiff";
import { Generator, tensor, type Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import type { KFACApproximation } from "./kfac-options.js";
import { blockDiagonalPart, denseGGN } from "./testing/dense-ggn.js";
import { ClassAxisFirst, deepLinearNetwork, kfacGroups, MeanOverPositions, randomBatches } from "./testing/kfac-models.js";
import { fixtureMatrix, fixtureProblem } from "./testing/mlp-mse-fixture.js";

function expectClose(actual: Tensor, expected: Tensor, rtol: number, what: string): void {
  let largest = 0;
  for (const v of expected.data as Float64Array) largest = Math.max(largest, Math.abs(v));
  const report = compare(actual, expected, { rtol, atol: rtol * largest });
  expect(report.ok, `${what}: ${report.message}`).toBe(true);
}

const normalTargets = (shape: readonly number[]) => (g: Generator, n: number) => g.normal([n, ...shape], { dtype: "float64" });
const classTargets = (classes: number) => (g: Generator, n: number) => tensor(Array.from({ length: n }, () => Math.floor(g.uniform([1]).data[0] * classes)), { dtype: "int64" });

interface ExactCase {
  name: string;
  model: () => Module;
  loss: CurvatureLoss;
  batches: () => [Tensor, Tensor][];
  kfacApprox: KFACApproximation;
}

const CASES: ExactCase[] = [
  {
    name: "a deep linear network with MSE (mean), two unequal batches",
    model: () => deepLinearNetwork([4, 3, 3, 2], 1),
    loss: new MSELoss(),
    batches: () => randomBatches([3, 2], [4], normalTargets([2]), 2),
    kfacApprox: "expand",
  },
  {
    name: "a deep linear network with MSE (sum)",
    model: () => deepLinearNetwork([3, 4, 2], 3),
    loss: new MSELoss({ reduction: "sum" }),
    batches: () => randomBatches([2, 3], [3], normalTargets([2]), 4),
    kfacApprox: "expand",
  },
  {
    name: "a model that is one Linear layer (parameters \"weight\", \"bias\"), MSE",
    model: () => new Linear(3, 2, { dtype: "float64", generator: new Generator(17) }),
    loss: new MSELoss(),
    batches: () => randomBatches([3, 2], [3], normalTargets([2]), 18),
    kfacApprox: "expand",
  },
  {
    name: "a single datum with cross-entropy through ReLU and Sigmoid",
    model: () => {
      const generator = new Generator(5);
      return new Sequential(new Linear(4, 3, { dtype: "float64", generator }), new ReLU(), new Linear(3, 3, { dtype: "float64", generator }), new Sigmoid(), new Linear(3, 4, { dtype: "float64", generator }));
    },
    loss: new CrossEntropyLoss(),
    batches: () => randomBatches([1], [4], classTargets(4), 6),
    kfacApprox: "expand",
  },
  {
    name: "weight sharing, expand: Linear layers on [N, L, D] with MSE on every position",
    model: () => deepLinearNetwork([3, 4, 2], 7),
    loss: new MSELoss(),
    batches: () => randomBatches([2, 3], [5, 3], normalTargets([5, 2]), 8),
    kfacApprox: "expand",
  },
  {
    name: "weight sharing, reduce: Linear layers on [N, L, D], outputs averaged over L",
    model: () => {
      const generator = new Generator(9);
      return new Sequential(new Linear(3, 4, { dtype: "float64", generator }), new Linear(4, 2, { dtype: "float64", generator }), new MeanOverPositions());
    },
    loss: new MSELoss(),
    batches: () => randomBatches([3, 2], [4, 3], normalTargets([2]), 10),
    kfacApprox: "reduce",
  },
];

describe("type-2 KFAC equals the block-diagonal GGN where it is exact (js, float64)", () => {
  it("the dense GGN reference reproduces the fixture's GGN", async () => {
    const { model, batches } = fixtureProblem("float64");
    expectClose(await denseGGN(model, new MSELoss(), batches), fixtureMatrix("ggn"), 1e-12, "GGN");
  });

  describe.each(CASES)("$name", ({ model: makeModel, loss, batches: makeBatches, kfacApprox }) => {
    it.each([{ separateWeightAndBias: false }, { separateWeightAndBias: true }])("separateWeightAndBias: $separateWeightAndBias", async ({ separateWeightAndBias }) => {
      const model = makeModel();
      const batches = makeBatches();
      const params = model.namedParameters().map(([name]) => name);
      const kfac = new KFACLinearOperator<"float64">(model, loss, params, batches, { fisherType: "type-2", kfacApprox, separateWeightAndBias, runtime: "js" });
      const expected = blockDiagonalPart(await denseGGN(model, loss, batches), kfacGroups(model, separateWeightAndBias));
      expectClose(await kfac.toDense(), expected, 1e-10, "KFAC vs block-diagonal GGN");
    });
  });

  it("the other approximation is not exact in the weight-sharing cases (the checks can tell them apart)", async () => {
    for (const c of CASES.filter((c) => c.name.startsWith("weight sharing"))) {
      const model = c.model();
      const batches = c.batches();
      const params = model.namedParameters().map(([name]) => name);
      const other = c.kfacApprox === "expand" ? "reduce" : "expand";
      const kfac = new KFACLinearOperator<"float64">(model, c.loss, params, batches, { fisherType: "type-2", kfacApprox: other, runtime: "js" });
      const expected = blockDiagonalPart(await denseGGN(model, c.loss, batches), kfacGroups(model, true));
      expect(compare(await kfac.toDense(), expected, { rtol: 1e-3, atol: 1e-6 }).ok, c.name).toBe(false);
    }
  });
});

describe("outputs with positions ([N, L, C]) give the KFAC of the flattened problem ([N·L, C]), as curvlinops' test_multi_dim_output", () => {
  const [N, L, D, C] = [3, 4, 3, 3];
  const flatTargets = (g: Generator, n: number, kind: string): Tensor => {
    if (kind === "ce") return tensor(Array.from({ length: n }, () => Math.floor(g.uniform([1]).data[0] * C)), { dtype: "int64" });
    if (kind === "bce") return g.uniform([n, C], { dtype: "float64" });
    return g.normal([n, C], { dtype: "float64" });
  };
  it.each([
    { kind: "mse", loss: new MSELoss() },
    { kind: "ce", loss: new CrossEntropyLoss() },
    { kind: "bce", loss: new BCEWithLogitsLoss() },
    { kind: "mse", loss: new MSELoss({ reduction: "sum" }) },
  ])("$kind ($loss.reduction)", async ({ kind, loss }) => {
    const generator = new Generator(12);
    const layers = () => [new Linear(D, 4, { dtype: "float64", generator: new Generator(13) }), new Tanh(), new Linear(4, C, { dtype: "float64", generator: new Generator(14) })];
    const X = generator.normal([N * L, D], { dtype: "float64" });
    const y = flatTargets(generator, N * L, kind);
    const flat = new Sequential(...layers());
    const positional = new Sequential(...layers(), ...(kind === "ce" ? [new ClassAxisFirst()] : []));
    // Positional targets: [N, L, C] (MSE, BCE) or class indices [N, L] (CE).
    const yPositional = kind === "ce" ? y.reshape([N, L]) : y.reshape([N, L, C]);
    const params = ["0.weight", "0.bias", "2.weight", "2.bias"];
    const options = { fisherType: "type-2", runtime: "js" } as const;
    const flatKfac = new KFACLinearOperator<"float64">(flat, loss, params, [[X, y]], options);
    const positionalKfac = new KFACLinearOperator<"float64">(positional, loss, params, [[X.reshape([N, L, D]), yPositional]], options);
    expectClose(await positionalKfac.toDense(), await flatKfac.toDense(), 1e-12, `${kind} positional vs flat`);
  });
});

describe("parameter subsets in any order (curvlinops: excluding weights or biases, shuffled parameter order)", () => {
  it.each([{ separateWeightAndBias: false }, { separateWeightAndBias: true }])("separateWeightAndBias: $separateWeightAndBias", async ({ separateWeightAndBias }) => {
    const model = deepLinearNetwork([4, 3, 3, 2], 15);
    const batches = randomBatches([3, 2], [4], normalTargets([2]), 16);
    const loss = new MSELoss();
    const params = ["2.bias", "0.weight", "2.weight", "1.bias"];
    const kfac = new KFACLinearOperator<"float64">(model, loss, params, batches, { fisherType: "type-2", separateWeightAndBias, runtime: "js" });
    // The reference: the block-diagonal GGN over all parameters, restricted to `params` in their order.
    const all = model.namedParameters();
    const offsets = new Map<string, number[]>();
    let offset = 0;
    for (const [name, t] of all) {
      offsets.set(name, Array.from({ length: t.size }, (_, i) => offset + i));
      offset += t.size;
    }
    const full = blockDiagonalPart(await denseGGN(model, loss, batches), kfacGroups(model, separateWeightAndBias));
    const rows = params.flatMap((name) => offsets.get(name)!);
    const expected = tensor(rows.flatMap((i) => rows.map((j) => full.data[i * offset + j])), { dtype: "float64", shape: [rows.length, rows.length] });
    expect(kfac.inputShapes).toEqual([[2], [3, 4], [2, 3], [3]]);
    expectClose(await kfac.toDense(), expected, 1e-10, "KFAC over a shuffled subset");
  });
});
