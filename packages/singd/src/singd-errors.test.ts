import { CrossEntropyLoss, Dropout, LayerNorm, Linear, Module, ReLU, Sequential, type ForwardContext, type Value } from "@curv/autodiff";
import { UnsupportedLayerError } from "@curv/operators";
import { CurvError, ShapeError, Tensor, ValueError, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { SINGD } from "./singd.js";
import type { SINGDOptions } from "./singd-options.js";
import { flatParameters, singdMlpBatches, singdMlpModel } from "./testing/singd-fixture-cases.js";

const quiet = { runtime: "js", onWarning: () => {} } as const;
const make = (options: SINGDOptions) => new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), { ...quiet, ...options });

describe("SINGD's constructor refuses bad options with a ValueError that names them", () => {
  it.each([
    ["an unknown structure name", { structures: ["dense", "tridiagonal"] }, /structures:.*unknown structure "tridiagonal"; known: dense, diagonal/],
    ["a single structure name", { structures: "dense" as unknown as [string, string] }, /structures must be a pair/],
    ["T < 1", { T: 0 }, /T must be an integer ≥ 1, got 0/],
    ["a fractional T", { T: 2.5 }, /T must be an integer ≥ 1, got 2.5/],
    ["a negative lr", { lr: -0.1 }, /lr must be a finite number ≥ 0, got -0.1/],
    ["a negative lrCov", { lrCov: -1 }, /lrCov must be a finite number ≥ 0/],
    ["a negative momentum", { momentum: -0.5 }, /momentum must be/],
    ["a negative alpha1", { alpha1: -0.5 }, /alpha1 must be/],
    ["a negative weight decay", { weightDecay: -1e-3 }, /weightDecay must be/],
    ["a NaN damping", { damping: Number.NaN }, /damping must be a finite number/],
    ["an unknown kfacApprox", { kfacApprox: "mean" as "expand" }, /kfacApprox must be "expand" or "reduce"/],
    ["an unknown lossAverage", { lossAverage: "sequence" as "batch" }, /lossAverage must be "batch", "batch\+sequence" or null/],
    ["a bad preconditionerDtype", { preconditionerDtype: ["float16", null] as unknown as [null, null] }, /preconditionerDtype\[0\] must be/],
    ["a non-positive initGradScale", { initGradScale: 0 }, /initGradScale must be a finite number > 0/],
    ["a bad group entry", { params: [{ params: ["0.weight", "0.bias"], T: -1 }] }, /\(parameter group 0\)|T must be/],
  ])("%s", (_, options, message) => {
    expect(() => make(options as SINGDOptions)).toThrow(ValueError);
    expect(() => make(options as SINGDOptions)).toThrow(message);
  });

  it("a layer whose weight and bias are in different groups", () => {
    expect(() => make({ params: [{ params: ["0.weight"] }, { params: ["0.bias", "2.weight", "2.bias"] }] })).toThrow(/parameters of layer "0" \(0.weight, 0.bias\) must all be in one parameter group/);
  });

  it("a parameter that is not the model's", () => {
    expect(() => make({ params: ["0.weight", "0.bias", "9.weight"] })).toThrow(/"9.weight" is not a parameter of the model/);
  });
});

describe("layers SINGD cannot train", () => {
  it("a model with no Linear or Conv2d layer is an UnsupportedLayerError", () => {
    const model = new Sequential(new LayerNorm([4], { dtype: "float64" }), new ReLU());
    expect(() => new SINGD(model, new CrossEntropyLoss(), quiet)).toThrow(UnsupportedLayerError);
    expect(() => new SINGD(model, new CrossEntropyLoss(), quiet)).toThrow(/no Linear or Conv2d layer with parameters to train \(its modules: Sequential, LayerNorm, ReLU\)/);
  });

  it("a requested parameter of another layer is an UnsupportedLayerError naming it", () => {
    const model = new Sequential(new Linear(4, 4, { dtype: "float64" }), new LayerNorm([4], { dtype: "float64" }), new Linear(4, 2, { dtype: "float64" }));
    expect(() => new SINGD(model, new CrossEntropyLoss(), { ...quiet, params: ["0.weight", "0.bias", "1.weight"] })).toThrow(/"1.weight" is in other layers/);
  });

  it("other layers' parameters are left untrained with a warning, as SINGD does", async () => {
    const warnings: string[] = [];
    const model = new Sequential(new Linear(4, 4, { dtype: "float64" }), new LayerNorm([4], { dtype: "float64" }), new Linear(4, 2, { dtype: "float64" }));
    const singd = new SINGD(model, new CrossEntropyLoss(), { runtime: "js", onWarning: (m) => warnings.push(m) });
    expect(warnings.join()).toMatch(/"1.weight", "1.bias" are outside Linear and Conv2d layers and will not be trained/);
    expect(singd.untrainedParameters).toEqual(["1.weight", "1.bias"]);
    const before = model.stateDict()["1.weight"];
    const firstBefore = model.stateDict()["0.weight"];
    await singd.step([tensor([[1, 2, 3, 4], [0, 1, 0, 1]], { dtype: "float64" }), tensor([0, 1], { dtype: "int64" })]);
    expect(Array.from(model.stateDict()["1.weight"].data as Float64Array)).toEqual(Array.from(before.data as Float64Array));
    expect(Array.from(model.stateDict()["0.weight"].data as Float64Array)).not.toEqual(Array.from(firstBefore.data as Float64Array));
  });
});

/** Applies one Linear layer twice (weight tying across calls). */
class Twice extends Module {
  readonly kind = "Twice";
  readonly layer = new Linear(3, 3, { dtype: "float64" });
  constructor() {
    super();
    this.registerModule("inner", this.layer);
  }
  forward(x: Value, ctx: ForwardContext): Value {
    return this.layer.forward(this.layer.forward(x, ctx.child("inner")), ctx.child("inner"));
  }
}

describe("warnings", () => {
  it("lossAverage that does not match the loss' reduction", () => {
    const warnings: string[] = [];
    new SINGD(singdMlpModel("float64"), new CrossEntropyLoss({ reduction: "sum" }), { runtime: "js", onWarning: (m) => warnings.push(m) });
    expect(warnings.join()).toMatch(/lossAverage does not match the loss' reduction "sum" for layers "0", "2", "4"/);
    warnings.length = 0;
    new SINGD(singdMlpModel("float64"), new CrossEntropyLoss({ reduction: "sum" }), { runtime: "js", lossAverage: null, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });
});

describe("models SINGD steps through", () => {
  it("a Dropout model: its masks are drawn per step from the optimizer's generator", async () => {
    const model = new Sequential(new Linear(4, 8, { dtype: "float64" }), new Dropout(0.5), new Linear(8, 2, { dtype: "float64" }));
    const singd = new SINGD(model, new CrossEntropyLoss(), { ...quiet, T: 1 });
    const before = model.stateDict()["2.weight"].data.slice();
    const loss = await singd.step([tensor([[1, 2, 3, 4], [0, 1, 0, 1], [1, 1, 1, 1]], { dtype: "float64" }), tensor([0, 1, 1], { dtype: "int64" })]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(model.stateDict()["2.weight"].data).not.toEqual(before);
  });

  it("a layer applied twice in one forward pass is a ValueError naming it", async () => {
    const singd = new SINGD(new Twice(), new CrossEntropyLoss(), { ...quiet, T: 1 });
    await expect(singd.step([tensor([[1, 2, 3]], { dtype: "float64" }), tensor([0], { dtype: "int64" })])).rejects.toThrow(/layer "inner" is applied 2 times in one forward pass/);
    expect(singd.steps).toBe(0);
  });
});

describe("a step refuses bad batches and changes nothing", () => {
  const [X, y] = singdMlpBatches("float64")[0];

  async function refused(batch: readonly [Tensor, Tensor], error: new (...args: never[]) => CurvError, message: RegExp): Promise<void> {
    const model = singdMlpModel("float64");
    const singd = new SINGD(model, new CrossEntropyLoss(), { ...quiet, T: 1 });
    await singd.step([X, y]);
    const params = flatParameters(model);
    const state = singd.stateDict();
    const attempt = singd.step(batch);
    await expect(attempt).rejects.toThrow(error);
    await expect(singd.step(batch)).rejects.toThrow(message);
    expect(Array.from(flatParameters(model))).toEqual(Array.from(params));
    expect(singd.steps).toBe(1);
    for (const [key, t] of Object.entries(singd.stateDict())) expect(Array.from(t.data as Float64Array), key).toEqual(Array.from(state[key].data as Float64Array));
  }

  it("NaN in X: a ValueError naming X and the entry", async () => {
    const data = Float64Array.from(X.data as Float64Array);
    data[45] = Number.NaN;
    await refused([new Tensor("float64", X.shape, data), y], ValueError, /"X" has NaN at \[1, 5\]/);
  });

  it("Infinity in X", async () => {
    const data = Float64Array.from(X.data as Float64Array);
    data[0] = Number.POSITIVE_INFINITY;
    await refused([new Tensor("float64", X.shape, data), y], ValueError, /"X" has Infinity at \[0, 0\]/);
  });

  it("non-finite gradients without a gradient scale (huge inputs)", async () => {
    const data = Float64Array.from(X.data as Float64Array).map((v) => v * 1e300);
    await refused([new Tensor("float64", X.shape, data), y], ValueError, /at step 1, .* not finite; the parameters and the optimizer's state are unchanged/);
  });

  it("X of the wrong width: a ShapeError", async () => {
    await refused([tensor(new Array(8 * 7).fill(0), { dtype: "float64", shape: [8, 7] }), y], ShapeError, /do not accept X \[8, 7\]/);
  });

  it("X and y of different batch sizes: a ShapeError", async () => {
    await refused([X, tensor([0, 1], { dtype: "int64" })], ShapeError, /must share the batch axis/);
  });

  it("not a pair of tensors", async () => {
    await refused([X] as unknown as [Tensor, Tensor], ValueError, /expected a batch \[X, y\] of two tensors/);
  });

  it("a second step while one is running", async () => {
    const singd = make({});
    const first = singd.step([X, y]);
    await expect(singd.step([X, y])).rejects.toThrow(/a step is already running; await each step/);
    await first;
    expect(singd.steps).toBe(1);
  });

  it("a bad gradient scale", async () => {
    const singd = make({});
    await expect(singd.step([X, y], { gradScale: -1 })).rejects.toThrow(/gradScale must be a finite number > 0, got -1/);
    expect(singd.steps).toBe(0);
  });

  it("an lrCov schedule returning a bad value is refused before anything changes", async () => {
    const model = singdMlpModel("float64");
    const singd = new SINGD(model, new CrossEntropyLoss(), { ...quiet, T: 1, lrCov: (t) => (t === 0 ? 0.1 : Number.NaN) });
    await singd.step([X, y]);
    const params = flatParameters(model);
    await expect(singd.step([X, y])).rejects.toThrow(/lrCov\(1\) for layer "0" must be a finite number ≥ 0, got NaN/);
    expect(Array.from(flatParameters(model))).toEqual(Array.from(params));
    expect(singd.steps).toBe(1);
  });
});
