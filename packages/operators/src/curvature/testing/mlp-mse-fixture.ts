// The mlp-mse reference fixture (PyTorch, float64; fixtures/mlp-mse/README.md
// at the repository root): the model from nn modules or from importOnnx with
// the fixture's weights, the two batches from the .npz, the probe vector,
// and every reference matrix and product.
import { readFileSync } from "node:fs";
import { tensor, type FloatDType, type Tensor } from "@curv/tensor";
import { importOnnx, Linear, loadNpz, ReLU, Sequential, Sigmoid, type Module } from "@curv/autodiff";
import type { DataBatch } from "../data-loop.js";

const FOLDER = new URL("../../../../../fixtures/mlp-mse/", import.meta.url);

interface JsonTensor {
  readonly shape: number[];
  readonly data: number[];
}

interface GoldenJson {
  readonly num_data: number;
  readonly params: { name: string; shape: number[]; offset: number; values: JsonTensor }[];
  readonly data: { batch_sizes: number[] };
  readonly v: JsonTensor;
  readonly results: { loss: number; gradient: JsonTensor; hvp: JsonTensor; ggnvp: JsonTensor; matvec: Record<string, JsonTensor> };
  readonly matrices: Record<string, JsonTensor>;
}

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

const read = (name: string) => new Uint8Array(readFileSync(new URL(name, FOLDER)));
let golden: GoldenJson | undefined;

export function loadMlpMseFixture(source: ModelSource, dtype: FloatDType): MlpMseFixture {
  golden ??= JSON.parse(new TextDecoder().decode(read("mlp-mse.golden.json"))) as GoldenJson;
  const g = golden;
  const model: Module =
    source === "importOnnx"
      ? importOnnx(read("mlp-mse.onnx"), { dtype })
      : new Sequential(new Linear(7, 5, { dtype }), new ReLU(), new Linear(5, 5, { dtype }), new Sigmoid(), new Linear(5, 3, { dtype }));
  model.loadStateDict(Object.fromEntries(g.params.map(({ name, shape, values }) => [name, tensor(values.data, { dtype, shape })])));
  const { X, y } = loadNpz(read("mlp-mse.data.npz"));
  let start = 0;
  const batches = g.data.batch_sizes.map((size): DataBatch => {
    const batch = [X.slice([start, start + size]).astype(dtype), y.slice([start, start + size]).astype(dtype)] as const;
    start += size;
    return batch;
  });
  const matrices = Object.fromEntries(Object.entries(g.matrices).map(([name, m]) => [name, tensor(m.data, { dtype: "float64", shape: m.shape })]));
  return {
    model,
    names: g.params.map((p) => p.name),
    batches,
    numData: g.num_data,
    v: tensor(g.v.data, { dtype, shape: g.v.shape }),
    loss: g.results.loss,
    gradient: g.results.gradient.data,
    hvp: g.results.hvp.data,
    ggnvp: g.results.ggnvp.data,
    matrices,
    matvec: Object.fromEntries(Object.entries(g.results.matvec).map(([name, m]) => [name, m.data])),
  };
}
