// Bad input gets one clear typed error, never a wrong number: unsupported
// layers, mismatched layer collections, wrong shapes and dtypes, a dense
// matrix too large for memory. And PVector's algebra and model interop.
import { BatchNorm2d, Conv2d, Dropout, Flatten, Linear, Module, ReLU, Sequential, mul, type ForwardContext, type Value } from "@curv/autodiff";
import { UnsupportedLayerError } from "@curv/operators";
import { DTypeError, Generator, ShapeError, Tensor, ValueError } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { FIM } from "./helpers/fim.js";
import { Jacobian } from "./helpers/jacobian.js";
import { LayerCollection } from "./layers/layer-collection.js";
import { PFMapDense } from "./map/pfmap-dense.js";
import { PMatDense } from "./pmat/pmat-dense.js";
import { PMatDiag } from "./pmat/pmat-diag.js";
import { PMatKFAC } from "./pmat/pmat-kfac.js";
import { PMatEKFACBlockDiag } from "./pmat/pmat-mixed.js";
import { fixtureModel } from "./testing/nngeometry-fixture.js";
import { PVector } from "./vector/pvector.js";

/** A layer with a parameter of a kind no representation knows. */
class Scale extends Module {
  readonly kind = "Scale";
  constructor() {
    super();
    this.registerParameter("alpha", new Tensor("float64", [3], new Float64Array([1, 2, 3])));
  }

  forward(x: Value, ctx: ForwardContext): Value {
    return mul(x, ctx.parameter("alpha"));
  }
}

describe("LayerCollection", () => {
  it("names an unsupported layer and its kind, unless asked to leave it out", () => {
    const model = new Sequential(new Linear(3, 3, { dtype: "float64" }), new Scale(), new ReLU());
    expect(() => LayerCollection.fromModel(model)).toThrow(UnsupportedLayerError);
    expect(() => LayerCollection.fromModel(model)).toThrow(/layer "1" is a Scale, which is not supported/);
    expect(LayerCollection.fromModel(model, { ignoreUnsupportedLayers: true }).ids()).toEqual(["0"]);
  });

  it("offsets, equality, merge and subset", () => {
    const { model } = fixtureModel("float64");
    const lc = LayerCollection.fromModel(model);
    expect(lc.getLayerStart("2")).toBe(35);
    expect(lc.parameterNames()).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(lc.equals(LayerCollection.fromModel(fixtureModel("float64").model))).toBe(true);
    expect(lc.merge(lc.subset(["2"])).ids()).toEqual(["2"]);
    expect(() => lc.getLayerStart("7")).toThrow(/no layer "7"; its layers are "0", "2"/);
  });
});

describe("PVector", () => {
  const { model } = fixtureModel("float64");
  const lc = LayerCollection.fromModel(model);
  const generator = new Generator(1);

  it("algebra, dict form and model interop", () => {
    const v = PVector.random(lc, generator);
    const w = PVector.random(lc, generator);
    expect(v.add(w).sub(w).toFloat64()).toEqual(v.toFloat64().map((x, i) => x + w.toFloat64()[i] - w.toFloat64()[i]));
    expect(v.dot(v)).toBeCloseTo(v.norm() ** 2, 12);
    expect(v.pow(2).toFloat64()[3]).toBeCloseTo(v.toFloat64()[3] ** 2, 14);
    const [W, b] = v.toDict()["2"];
    expect(W.shape).toEqual([4, 5]);
    expect(b?.shape).toEqual([4]);
    expect(PVector.fromDict(lc, v.toDict()).toFloat64()).toEqual(v.toFloat64());
    const w0 = PVector.fromModel(model);
    v.copyToModel(model);
    expect(PVector.fromModel(model).toFloat64()).toEqual(v.toFloat64());
    w0.copyToModel(model);
    expect(PVector.fromModel(model).toFloat64()).toEqual(w0.toFloat64());
    expect(v.scale(2).norm(1)).toBeCloseTo(2 * v.norm(1), 12);
  });

  it("mismatched collections, shapes and dtypes are errors", () => {
    const v = PVector.random(lc, generator);
    const other = PVector.random(lc.subset(["2"]), generator);
    expect(() => v.add(other)).toThrow(ValueError);
    expect(() => v.add(other)).toThrow(/layer collections differ/);
    expect(() => v.dot(v.astype("float32") as never)).toThrow(DTypeError);
    expect(() => PVector.fromFlat(lc, new Tensor("float64", [58]))).toThrow(ShapeError);
    expect(() => PVector.fromDict(lc, { "0": [new Tensor("float64", [5, 6]), new Tensor("float64", [5])], "2": [new Tensor("float64", [5, 4]), new Tensor("float64", [4])] })).toThrow(/"2.weight" must have shape \[4, 5\], got \[5, 4\]/);
  });
});

describe("representations reject bad operands", () => {
  const { model, batches } = fixtureModel("float64");
  const lc = LayerCollection.fromModel(model);

  it("a vector of another collection, dtype or a map of the wrong size", async () => {
    const F = await FIM({ model, loader: batches, representation: PMatDiag, runtime: "js" });
    const sub = PVector.random(lc.subset(["0"]), new Generator(2));
    expect(() => F.mv(sub as never)).toThrow(/PMatDiag.mv: the layer collections differ/);
    expect(() => F.vTMv(PVector.random(lc, new Generator(2), "float32") as never)).toThrow(DTypeError);
    expect(() => new PFMapDense(lc, new Tensor("float64", [2, 3, 58]))).toThrow(ShapeError);
    expect(() => F.solve(PVector.random(lc, new Generator(2)), { regul: -1 })).toThrow(/regul must be a finite number >= 0/);
    expect(() => F.solve(PVector.random(lc, new Generator(2)), { solve: "qr" })).toThrow(/solve must be "default", got "qr"/);
  });

  it("PFMapDense.getLayer splits J by layer in the parameters' shapes", async () => {
    const J = await Jacobian({ model, loader: batches, runtime: "js" });
    const [W, b] = J.getLayer("2");
    expect(W.shape).toEqual([4, 12, 4, 5]);
    expect(b.shape).toEqual([4, 12, 4]);
    expect(W.get(1, 3, 2, 4)).toBe(J.toDense().get(1, 3, 35 + 2 * 5 + 4));
    expect([...J.iterByLayer()].map(([id, parts]) => `${id}:${parts.length}`)).toEqual(["0:2", "2:2"]);
  });

  it("PMatDense refuses a matrix that would not fit, naming its size", async () => {
    await expect(FIM({ model, loader: batches, representation: PMatDense, maxDenseBytes: 1000 })).rejects.toThrow(
      /PMatDense: the dense 59 x 59 float64 matrix needs 27.2 KiB, more than the limit of 1000.0 B/,
    );
  });

  it("a BatchNorm2d in training mode (batch statistics) is refused; in eval mode it is a block-diagonal layer", async () => {
    const generator = new Generator(4);
    const model = new Sequential(new Conv2d(1, 2, 2, { generator, dtype: "float64" }), new BatchNorm2d(2, { dtype: "float64" }), new Flatten(), new Linear(8, 3, { generator, dtype: "float64" }));
    const data = [[generator.normal([4, 1, 3, 3], { dtype: "float64" }), generator.integers(0, 3, [4], "int64")]] as [Tensor, Tensor][];
    await expect(FIM({ model, loader: data, representation: PMatDiag, runtime: "js" })).rejects.toThrow(/BatchNorm2d layers "1" are in training mode/);
    model.eval();
    const F = await FIM({ model, loader: data, representation: PMatEKFACBlockDiag, runtime: "js" });
    await F.updateDiag();
    const dense = await FIM({ model, loader: data, representation: PMatDense, runtime: "js" });
    expect(F.trace()).toBeCloseTo(dense.trace(), 12);
  });

  it("a model with a random layer, an unknown variant or representation", async () => {
    const random = new Sequential(new Linear(6, 4, { dtype: "float64" }), new Dropout(0.5));
    await expect(FIM({ model: random, loader: batches, representation: PMatKFAC, runtime: "js" })).rejects.toThrow(/not deterministic/);
    await expect(FIM({ model, loader: batches, representation: PMatDiag, variant: "poisson" as never })).rejects.toThrow(/variant must be "classif_logits"/);
    await expect(FIM({ model, loader: batches, representation: {} as never })).rejects.toThrow(/representation must be a PMat class/);
  });

  it("byteLength of every stored representation is its data, never P² unless dense", async () => {
    const p = lc.numel();
    const dense = await FIM({ model, loader: batches, representation: PMatDense, runtime: "js" });
    const diag = await FIM({ model, loader: batches, representation: PMatDiag, runtime: "js" });
    const kfac = await FIM({ model, loader: batches, representation: PMatKFAC, runtime: "js" });
    expect(dense.byteLength).toBe(8 * p * p);
    expect(diag.byteLength).toBe(8 * p);
    expect(kfac.byteLength).toBe(8 * (7 * 7 + 5 * 5 + 6 * 6 + 4 * 4));
  });
});
