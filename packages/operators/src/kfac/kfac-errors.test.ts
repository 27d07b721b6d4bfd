// What KFAC and EKFAC reject, with errors that say what was expected and what was given.
import { Dropout, LayerNorm, Linear, Module, MSELoss, ReLU, Sequential, type CurvatureLoss, type ForwardContext, type Value } from "@curv/autodiff";
import { Generator, ValueError, type Tensor } from "@curv/tensor";
import { NondeterministicModelError } from "../curvature/nondeterministic-model-error.js";
import { describe, expect, it } from "vitest";
import { EKFACLinearOperator } from "./ekfac-linear-operator.js";
import { UnsupportedLayerError } from "./kfac-layers.js";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import type { KFACOptions } from "./kfac-options.js";
import { randomBatches } from "./testing/kfac-models.js";

function withLayerNorm() {
  const generator = new Generator(41);
  const model = new Sequential(new Linear(3, 4, { dtype: "float64", generator }), new LayerNorm(4, { dtype: "float64" }), new ReLU(), new Linear(4, 2, { dtype: "float64", generator }));
  const batches = randomBatches([3], [3], (g, n) => g.normal([n, 2], { dtype: "float64" }), 42);
  return { model, batches };
}

const ALL = ["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"];
const FACTORED = ["0.weight", "0.bias", "3.weight", "3.bias"];

describe("KFAC and EKFAC: errors", () => {
  it.each([
    { name: "a parameter of an unsupported layer, named with its layer", Operator: KFACLinearOperator, params: ALL, options: {}, error: UnsupportedLayerError, message: 'KFAC supports the layers Linear, Conv2d, Embedding; the parameters "1.weight", "1.bias" of LayerNorm "1" are in a layer it cannot factor' },
    { name: "the same for EKFAC", Operator: EKFACLinearOperator, params: ["1.bias"], options: {}, error: UnsupportedLayerError, message: '"1.bias" of LayerNorm "1"' },
    { name: "an unknown Fisher type", Operator: KFACLinearOperator, params: FACTORED, options: { fisherType: "type-3" }, error: ValueError, message: 'fisherType must be one of "type-2", "mc", "empirical", "forward-only", got "type-3"' },
    { name: "forward-only EKFAC", Operator: EKFACLinearOperator, params: FACTORED, options: { fisherType: "forward-only" }, error: ValueError, message: 'EKFACLinearOperator: fisherType must be one of "type-2", "mc", "empirical", got "forward-only"' },
    { name: "several samples without MC", Operator: KFACLinearOperator, params: FACTORED, options: { fisherType: "type-2", mcSamples: 4 }, error: ValueError, message: 'mcSamples must be 1 unless fisherType is "mc", got 4 with "type-2"' },
    { name: "zero MC samples", Operator: KFACLinearOperator, params: FACTORED, options: { mcSamples: 0 }, error: ValueError, message: "mcSamples must be a positive integer, got 0" },
    { name: "an unknown approximation", Operator: KFACLinearOperator, params: FACTORED, options: { kfacApprox: "sum" }, error: ValueError, message: 'kfacApprox must be "expand" or "reduce", got "sum"' },
    { name: "zero loss terms per example", Operator: KFACLinearOperator, params: FACTORED, options: { numPerExampleLossTerms: 0 }, error: ValueError, message: "numPerExampleLossTerms must be a positive integer, got 0" },
    { name: "a name that is no parameter", Operator: KFACLinearOperator, params: ["0.weight", "2.weight"], options: {}, error: ValueError, message: '"2.weight" is not a parameter of the model' },
  ])("$name", ({ Operator, params, options, error, message }) => {
    const { model, batches } = withLayerNorm();
    const make = () => new Operator(model, new MSELoss(), params, batches, { runtime: "js", ...(options as KFACOptions) });
    expect(make).toThrow(error);
    expect(make).toThrow(message);
  });

  it("an unsupported layer whose parameters are not asked for is fine", async () => {
    const { model, batches } = withLayerNorm();
    const kfac = new KFACLinearOperator(model, new MSELoss(), FACTORED, batches, { fisherType: "type-2", runtime: "js" });
    expect(Object.keys(await kfac.factors())).toEqual(["0", "3"]);
    expect(kfac.shape).toEqual([26, 26]);
  });

  it("a loss that is not a curvature loss", () => {
    const { model, batches } = withLayerNorm();
    expect(() => new KFACLinearOperator(model, {} as CurvatureLoss, FACTORED, batches)).toThrow("lossFunction must be a curvature loss such as new MSELoss()");
  });

  it.each([
    { name: "heuristic and exact damping together", options: { damping: 1, heuristicDamping: true, exactDamping: true }, message: "heuristicDamping and exactDamping cannot both be true" },
    { name: "a damping that is not a number", options: { damping: Number.NaN }, message: "damping must be a finite number, got NaN" },
    { name: "heuristic with a negative damping", options: { damping: -1, heuristicDamping: true }, message: "heuristic damping needs damping >= 0, got -1" },
  ])("inverse: $name", async ({ options, message }) => {
    const { model, batches } = withLayerNorm();
    const kfac = new KFACLinearOperator(model, new MSELoss(), FACTORED, batches, { fisherType: "type-2", runtime: "js" });
    await expect(kfac.inverse(options)).rejects.toThrow(ValueError);
    await expect(kfac.inverse(options)).rejects.toThrow(message);
  });

  it("a model applied to data it does not accept fails on first use, naming the shapes", async () => {
    const { model } = withLayerNorm();
    const kfac = new KFACLinearOperator(model, new MSELoss(), FACTORED, randomBatches([2], [5], (g, n) => g.normal([n, 2], { dtype: "float64" }), 1), { runtime: "js" });
    await expect(kfac.trace()).rejects.toThrow("the model does not accept X of shape [batch, 5]");
  });
});

describe("KFAC: checkDeterministic", () => {
  /** Data that are drawn afresh every time they are iterated. */
  const changingData = (): Iterable<readonly [Tensor, Tensor]> => {
    const generator = new Generator(43);
    return { *[Symbol.iterator]() { yield [generator.normal([3, 3], { dtype: "float64" }), generator.normal([3, 2], { dtype: "float64" })] as const; } };
  };

  it("two passes that disagree are a NondeterministicModelError; checkDeterministic: false accepts them", async () => {
    const { model } = withLayerNorm();
    const checked = new KFACLinearOperator(model, new MSELoss(), FACTORED, changingData(), { fisherType: "type-2", runtime: "js" });
    await expect(checked.ready()).rejects.toThrow(NondeterministicModelError);
    await expect(checked.ready()).rejects.toThrow("two passes over the data gave different Kronecker factors");
    const unchecked = new KFACLinearOperator(model, new MSELoss(), FACTORED, changingData(), { fisherType: "type-2", runtime: "js", checkDeterministic: false });
    await expect(unchecked.ready()).resolves.toBeUndefined();
  });

  it("Dropout in training mode is rejected at construction", () => {
    const model = new Sequential(new Linear(3, 4, { dtype: "float64" }), new Dropout(0.5), new Linear(4, 2, { dtype: "float64" }));
    expect(() => new KFACLinearOperator(model, new MSELoss(), ["0.weight"], [], {})).toThrow(NondeterministicModelError);
  });
});

describe("KFAC: a layer applied twice in one forward pass", () => {
  /** Applies one Linear layer twice (weight tying within a forward). */
  class Twice extends Module {
    readonly kind = "Twice";
    readonly layer = new Linear(3, 3, { dtype: "float64" });
    constructor() {
      super();
      this.registerModule("shared", this.layer);
    }
    forward(x: Value, ctx: ForwardContext): Value {
      return this.layer.forward(this.layer.forward(x, ctx.child("shared")), ctx.child("shared"));
    }
  }

  it("is a ValueError naming the layer", async () => {
    const g = new Generator(44);
    const kfac = new KFACLinearOperator(new Twice(), new MSELoss(), ["shared.weight"], [[g.normal([2, 3], { dtype: "float64" }), g.normal([2, 3], { dtype: "float64" })]], { runtime: "js" });
    await expect(kfac.ready()).rejects.toThrow(ValueError);
    await expect(kfac.ready()).rejects.toThrow('KFACLinearOperator: layer "shared" is applied 2 times in one forward pass; KFAC needs every factored layer applied exactly once');
  });
});

describe("EKFAC: sequence losses", () => {
  it("outputs with several loss terms per example are a ValueError (as in curvlinops)", async () => {
    const model = new Sequential(new Linear(3, 2, { dtype: "float64" }));
    const batches = randomBatches([2], [4, 3], (g, n) => g.normal([n, 4, 2], { dtype: "float64" }), 45);
    const ekfac = new EKFACLinearOperator(model, new MSELoss(), ["0.weight", "0.bias"], batches, { fisherType: "type-2", runtime: "js" });
    await expect(ekfac.ready()).rejects.toThrow(ValueError);
    await expect(ekfac.ready()).rejects.toThrow("EKFACLinearOperator: the eigenvalue correction needs one loss term per example (outputs [N, C]); the model's output [batch, 4, 2] has 4 per example");
  });
});
