/**
 * The mlp-mse reference fixture (PyTorch 1.13, float64; see
 * fixtures/mlp-mse/README.md at the repository root): the golden JSON's
 * weights, probe vector and results, and the data set as the `.npz` holds it.
 */
import { readFileSync } from "node:fs";
import { tensor, type FloatDType, type Tensor } from "@curv/tensor";
import { loadNpz } from "../npy/index.js";

const FIXTURE_FOLDER = new URL("../../../../fixtures/mlp-mse/", import.meta.url);

/** A tensor of the JSON: `{shape, data}`, data flat and row-major. */
interface JsonTensor {
  readonly shape: number[];
  readonly data: number[];
}

interface GoldenJson {
  readonly num_data: number;
  readonly params: { name: string; shape: number[]; offset: number; values: JsonTensor }[];
  readonly data: { batch_sizes: number[] };
  readonly v: JsonTensor;
  readonly results: { loss: number; outputs: JsonTensor[]; gradient: JsonTensor; hvp: JsonTensor; ggnvp: JsonTensor };
}

/** The fixture's bytes and numbers, in the dtype a test computes in. */
export interface MlpMseFixture {
  readonly onnxBytes: Uint8Array;
  /** Parameter tensors by name, in `named_parameters()` order. */
  readonly stateDict: Record<string, Tensor>;
  /** The probe vector `v`, split per parameter. */
  readonly probe: Record<string, Tensor>;
  /** The two batches `{X, y}`, cut from the `.npz` data set by the JSON's batch sizes. */
  readonly batches: { X: Tensor; y: Tensor }[];
  readonly numData: number;
  readonly expected: { loss: number; outputs: JsonTensor[]; gradient: number[]; hvp: number[]; ggnvp: number[] };
}

const read = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURE_FOLDER)));

/** Loads the fixture with parameters, probe and data in `dtype` (the data and weights are float32-exact, so both dtypes hold them exactly). */
export function loadMlpMseFixture(dtype: FloatDType): MlpMseFixture {
  const golden = JSON.parse(new TextDecoder().decode(read("mlp-mse.golden.json"))) as GoldenJson;
  const stateDict: Record<string, Tensor> = {};
  const probe: Record<string, Tensor> = {};
  for (const { name, shape, offset, values } of golden.params) {
    stateDict[name] = tensor(values.data, { dtype, shape });
    const size = values.data.length;
    probe[name] = tensor(golden.v.data.slice(offset, offset + size), { dtype, shape });
  }
  const { X, y } = loadNpz(read("mlp-mse.data.npz"));
  let start = 0;
  const batches = golden.data.batch_sizes.map((size) => {
    const batch = { X: X.slice([start, start + size]).astype(dtype), y: y.slice([start, start + size]).astype(dtype) };
    start += size;
    return batch;
  });
  const { loss, outputs, gradient, hvp, ggnvp } = golden.results;
  return {
    onnxBytes: read("mlp-mse.onnx"),
    stateDict,
    probe,
    batches,
    numData: golden.num_data,
    expected: { loss, outputs, gradient: gradient.data, hvp: hvp.data, ggnvp: ggnvp.data },
  };
}
