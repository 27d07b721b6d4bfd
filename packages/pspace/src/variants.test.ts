// The FIM variants against a dense computation from the Jacobian:
// classif_binary_logits is (1/n) Σ p(1−p) JᵀJ of one logit, regression JᵀJ/n;
// the Monte-Carlo regression FIM with covariance σ² converges to JᵀJ/(n σ²).
import { compileModel, importOnnx, Linear, loadNpz, Sequential, Tanh } from "@curv/autodiff";
import { jsonTensor, mlpMseBatches, mlpMseFile, readMlpMseGolden } from "@curv/fixtures";
import { Generator, Tensor, sigmoid } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { FIM, FIMMonteCarlo } from "./helpers/fim.js";
import { Jacobian } from "./helpers/jacobian.js";
import { LayerCollection } from "./layers/layer-collection.js";
import { PMatDense } from "./pmat/pmat-dense.js";
import { PMatKFAC } from "./pmat/pmat-kfac.js";
import { relativeError } from "./testing/nngeometry-fixture.js";

function net(outputs: number) {
  const generator = new Generator(21);
  const model = new Sequential(new Linear(4, 3, { generator, dtype: "float64" }), new Tanh(), new Linear(3, outputs, { generator, dtype: "float64" }));
  const batches = [3, 4].map((n): [Tensor<"float64">, Tensor<"float64">] => [generator.normal([n, 4], { dtype: "float64" }), generator.uniform([n, outputs], { dtype: "float64" })]);
  return { model, batches };
}

/** `(1/n) Σᵢ wᵢ Σₒ J[o, i]ᵀ J[o, i]` from the dense Jacobian. */
async function weightedGram(model: Sequential, batches: [Tensor, Tensor][], weights: number[]): Promise<Float64Array> {
  const J = await Jacobian({ model, loader: batches, runtime: "js" });
  const [o, n, p] = J.size();
  const rows = J.rows();
  const out = new Float64Array(p * p);
  for (let k = 0; k < o; k++) {
    for (let i = 0; i < n; i++) {
      const row = rows.subarray((k * n + i) * p, (k * n + i + 1) * p);
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out[a * p + b] += (weights[i] * row[a] * row[b]) / n;
    }
  }
  return out;
}

describe("FIM variants", () => {
  it("classif_binary_logits: (1/n) Σ p(1−p) JᵀJ", async () => {
    const { model, batches } = net(1);
    const compiled = await compileModel(model, { dtype: "float64", shape: ["batch", 4] }, { runtime: "js" });
    const p = (await Promise.all(batches.map(([X]) => compiled.run(X)))).flatMap((logits) => Array.from(sigmoid(logits as Tensor<"float64">).data));
    const F = await FIM({ model, loader: batches, representation: PMatDense, variant: "classif_binary_logits", runtime: "js" });
    expect(relativeError(F.toDense(), await weightedGram(model, batches, p.map((pi) => pi * (1 - pi))))).toBeLessThan(1e-12);
    const kfac = await FIM({ model, loader: batches, representation: PMatKFAC, variant: "classif_binary_logits", runtime: "js" });
    expect(kfac.trace()).toBeGreaterThan(0);
  });

  it("regression: JᵀJ/n; Monte-Carlo with covariance σ² converges to JᵀJ/(n σ²)", async () => {
    const { model, batches } = net(2);
    const exact = await FIM({ model, loader: batches, representation: PMatDense, variant: "regression", runtime: "js" });
    expect(relativeError(exact.toDense(), await weightedGram(model, batches, new Array(7).fill(1)))).toBeLessThan(1e-12);
    const mc = await FIMMonteCarlo({ model, loader: batches, representation: PMatDense, variant: "regression", trials: 4000, covariance: 4, seed: 1, runtime: "js" });
    expect(relativeError(mc.scale(4).toDense(), exact.toDense())).toBeLessThan(0.1);
  });
});

describe("a model imported from ONNX (the mlp-mse fixture, PyTorch's export)", () => {
  it("has its Linear layers in the collection, and FIM(regression) = GGN(MSE, mean) · C/2 of the PyTorch fixture", async () => {
    const model = importOnnx(mlpMseFile("mlp-mse.onnx"), { dtype: "float64" });
    const lc = LayerCollection.fromModel(model);
    expect(lc.layers.map((l) => `${l.kind} ${l.id} ${l.numel}`)).toEqual(["Linear 0 40", "Linear 2 30", "Linear 4 18"]);
    const { X, y } = loadNpz(mlpMseFile("mlp-mse.data.npz"));
    const F = await FIM({ model, loader: mlpMseBatches(X, y, "float64"), representation: PMatDense, variant: "regression", runtime: "js" });
    const ggn = jsonTensor(readMlpMseGolden().matrices.ggn, "float64");
    expect(relativeError(F.toDense(), Array.from(ggn.data, (x) => (x * 3) / 2))).toBeLessThan(1e-10);
  });
});
