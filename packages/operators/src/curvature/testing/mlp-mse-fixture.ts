// The mlp-mse reference fixture (PyTorch, float64; fixtures/mlp-mse/README.md
// at the repository root): the model from nn modules or from importOnnx with
// the fixture's weights, the two batches from the .npz, the probe vector,
// and every reference matrix and product.
import { jsonTensor, mlpMseBatches, mlpMseFile, readMlpMseGolden } from "@curv/fixtures";
import type { FloatDType, Tensor } from "@curv/tensor";
import { importOnnx, Linear, loadNpz, ReLU, Sequential, Sigmoid, type Module } from "@curv/autodiff";
import type { DataBatch } from "../data-loop.js";

export type ModelSource = "nn modules" | "importOnnx";

/** The fixture in one dtype. */
export interface MlpMseFixture {
  readonly model: Module;
  readonly names: string[];
  readonly batches: DataBatch[];
  readonly numData: number;
  /** The probe vector v, flat in theta order. */
  readonly v: Tensor<FloatDType>;
  readonly loss: number;
  readonly gradient: number[];
  readonly hvp: number[];
  readonly ggnvp: number[];
  /** `matrices[name]` (P x P, float64, theta order) and `matvec[name]` = matrix @ v. */
  readonly matrices: Record<string, Tensor<"float64">>;
  readonly matvec: Record<string, number[]>;
}

export function loadMlpMseFixture(source: ModelSource, dtype: FloatDType): MlpMseFixture {
  const g = readMlpMseGolden();
  const model: Module =
    source === "importOnnx"
      ? importOnnx(mlpMseFile("mlp-mse.onnx"), { dtype })
      : new Sequential(new Linear(7, 5, { dtype }), new ReLU(), new Linear(5, 5, { dtype }), new Sigmoid(), new Linear(5, 3, { dtype }));
  model.loadStateDict(Object.fromEntries(g.params.map(({ name, values }) => [name, jsonTensor(values, dtype)])));
  const { X, y } = loadNpz(mlpMseFile("mlp-mse.data.npz"));
  const matrices = Object.fromEntries(Object.entries(g.matrices).map(([name, m]) => [name, jsonTensor(m, "float64")]));
  return {
    model,
    names: g.params.map((p) => p.name),
    batches: mlpMseBatches(X, y, dtype),
    numData: g.num_data,
    v: jsonTensor(g.v, dtype),
    loss: g.results.loss,
    gradient: g.results.gradient.data,
    hvp: g.results.hvp.data,
    ggnvp: g.results.ggnvp.data,
    matrices,
    matvec: Object.fromEntries(Object.entries(g.results.matvec).map(([name, m]) => [name, m.data])),
  };
}
