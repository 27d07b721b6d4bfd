// The TSDoc examples of the KFAC files, run, with what their comments claim.
import { LayerNorm, Linear, MSELoss, ReLU, Sequential } from "@curv/autodiff";
import { Generator, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { EKFACLinearOperator } from "./ekfac-linear-operator.js";
import { UnsupportedLayerError } from "./kfac-layers.js";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import type { KroneckerFactoredLinearOperator } from "./kronecker-factored-linear-operator.js";

function problem() {
  const generator = new Generator(51);
  const model = new Sequential(new Linear(7, 5, { dtype: "float64", generator }), new ReLU(), new Linear(5, 3, { dtype: "float64", generator }));
  const X = generator.normal([16, 7], { dtype: "float64" });
  const y = generator.normal([16, 3], { dtype: "float64" });
  const params = ["0.weight", "0.bias", "2.weight", "2.bias"];
  const gradient: Tensor<"float64">[] = model.parameters().map((p) => generator.normal(p.shape, { dtype: "float64" }));
  return { model, X, y, params, gradient, data: [[X, y]] as [Tensor, Tensor][] };
}

describe("TSDoc examples", () => {
  it("KFACLinearOperator", async () => {
    const { model, X, y, params, gradient } = problem();
    const kfac = new KFACLinearOperator<"float64">(model, new MSELoss(), params, [[X, y]], { fisherType: "type-2", runtime: "js" });
    const { inputCovariance, gradientCovariance } = (await kfac.factors())["0"];
    expect([inputCovariance!.shape, gradientCovariance.shape]).toEqual([[7, 7], [5, 5]]);
    const preconditioner = await kfac.inverse({ damping: 1e-3, heuristicDamping: true });
    const step = await preconditioner.matvec(gradient);
    expect(step.map((t) => t.shape)).toEqual(gradient.map((t) => t.shape));
  });

  it("EKFACLinearOperator", async () => {
    const { model, params, data } = problem();
    const ekfac = new EKFACLinearOperator<"float64">(model, new MSELoss(), params, data, { fisherType: "type-2", runtime: "js" });
    const dense = await ekfac.toDense();
    expect(await ekfac.trace()).toBeCloseTo(Array.from({ length: dense.shape[0] }, (_, i) => dense.data[i * dense.shape[0] + i]).reduce((a, b) => a + b, 0), 12);
    const inverse = await ekfac.inverse(1e-3);
    expect(inverse.shape).toEqual(ekfac.shape);
  });

  it("KroneckerFactoredLinearOperator", async () => {
    const { model, params, data } = problem();
    const options = { fisherType: "type-2", runtime: "js" } as const;
    const operators: KroneckerFactoredLinearOperator[] = [new KFACLinearOperator(model, new MSELoss(), params, data, options), new EKFACLinearOperator(model, new MSELoss(), params, data, options)];
    for (const op of operators) {
      expect(await op.trace()).toBeGreaterThan(0);
      expect(op.layers.map((l) => l.name)).toEqual(["0", "2"]);
    }
  });

  it("UnsupportedLayerError", () => {
    const model = new Sequential(new Linear(3, 4), new LayerNorm(4), new Linear(4, 2));
    const make = () => new KFACLinearOperator(model, new MSELoss(), ["1.weight"], []);
    expect(make).toThrow(UnsupportedLayerError);
    expect(make).toThrow('KFACLinearOperator: KFAC supports the layers Linear, Conv2d, Embedding; the parameters "1.weight" of LayerNorm "1" are in a layer it cannot factor');
  });
});
