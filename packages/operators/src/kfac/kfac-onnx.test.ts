// KFAC and EKFAC of models imported from ONNX: importOnnx recognizes PyTorch's Linear (Gemm with
// transB = 1) and Conv2d (Conv) layers, and KFAC factors them like the nn modules.
import { Conv2d, Flatten, importOnnx, Linear, MSELoss, ReLU, Sequential } from "@curv/autodiff";
import { mlpMseFile } from "@curv/fixtures";
import { Generator, GraphBuilder, tensor, type Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { EKFACLinearOperator } from "./ekfac-linear-operator.js";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import { FIXTURE_PARAMETERS, fixtureMatrix, fixtureProblem } from "./testing/mlp-mse-fixture.js";

function expectClose(actual: Tensor, expected: Tensor, rtol: number, what: string): void {
  let largest = 0;
  for (const v of expected.data as Float64Array) largest = Math.max(largest, Math.abs(v));
  const report = compare(actual.data as ArrayLike<number>, expected.data as Float64Array, { rtol, atol: rtol * largest });
  expect(report.ok, `${what}: ${report.message}`).toBe(true);
}

const options = { fisherType: "type-2", separateWeightAndBias: false, runtime: "js" } as const;

describe("KFAC of imported ONNX models (js, float64)", () => {
  it("the fixture's mlp-mse.onnx (exported by torch.onnx.export) gives the fixture's kfac and ekfac", async () => {
    const model = importOnnx(mlpMseFile("mlp-mse.onnx"), { dtype: "float64" });
    const { batches } = fixtureProblem("float64");
    expectClose(await new KFACLinearOperator<"float64">(model, new MSELoss(), FIXTURE_PARAMETERS, batches, options).toDense(), fixtureMatrix("kfac"), 1e-10, "kfac");
    expectClose(await new EKFACLinearOperator<"float64">(model, new MSELoss(), FIXTURE_PARAMETERS, batches, options).toDense(), fixtureMatrix("ekfac"), 1e-8, "ekfac");
  });

  it("a Conv (strides, pads, dilations, group) + Relu + Reshape + Gemm graph gives the KFAC of the same nn model", async () => {
    const g = new Generator(61);
    const [weight, bias, headWeight, headBias] = [g.normal([4, 2, 3, 3]), g.normal([4]), g.normal([3, 36]), g.normal([3])];
    const b = new GraphBuilder("cnn");
    const x = b.input("x", "float32", ["N", 4, 5, 5]);
    const conv = b.op("Conv", [x, b.constant("0.weight", weight), b.constant("0.bias", bias)], { strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], group: 2 });
    const flat = b.op("Reshape", [b.op("Relu", [conv]), b.constant("shape", tensor([0n, -1n], { dtype: "int64" }))]);
    b.output(b.op("Gemm", [flat, b.constant("3.weight", headWeight), b.constant("3.bias", headBias)], { transB: 1 }), "y");
    const imported = importOnnx(b.build(), { dtype: "float64" });

    const nn = new Sequential(new Conv2d(4, 4, 3, { stride: 2, padding: 1, groups: 2, dtype: "float64" }), new ReLU(), new Flatten(), new Linear(36, 3, { dtype: "float64" }));
    nn.loadStateDict({ "0.weight": weight.astype("float64"), "0.bias": bias.astype("float64"), "3.weight": headWeight.astype("float64"), "3.bias": headBias.astype("float64") });
    const batches: [Tensor, Tensor][] = [3, 2].map((n) => [g.normal([n, 4, 5, 5], { dtype: "float64" }), g.normal([n, 3], { dtype: "float64" })]);
    const params = ["0.weight", "0.bias", "3.weight", "3.bias"];
    for (const kfacApprox of ["expand", "reduce"] as const) {
      const fromOnnx = new KFACLinearOperator<"float64">(imported, new MSELoss(), params, batches, { ...options, kfacApprox });
      const fromNn = new KFACLinearOperator<"float64">(nn, new MSELoss(), params, batches, { ...options, kfacApprox });
      expect(Object.values(await fromOnnx.factors()).map((f) => [f.layer, f.kind])).toEqual([["0", "Conv2d"], ["3", "Linear"]]);
      expectClose(await fromOnnx.toDense(), await fromNn.toDense(), 1e-12, kfacApprox);
    }
  });
});
