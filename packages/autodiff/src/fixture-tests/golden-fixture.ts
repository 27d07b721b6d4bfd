/**
 * The mlp-mse reference fixture (PyTorch 1.13, float64; see
 * fixtures/mlp-mse/README.md at the repository root): the golden JSON's
 * weights, probe vector and results, and the data set as the `.npz` holds it.
 */
import { jsonTensor, mlpMseBatches, mlpMseFile, readMlpMseGolden, type JsonTensor } from "@curv/fixtures";
import { tensor, type FloatDType, type Tensor } from "@curv/tensor";
import { loadNpz } from "../npy/index.js";

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

/** Loads the fixture with parameters, probe and data in `dtype` (the data and weights are float32-exact, so both dtypes hold them exactly). */
export function loadMlpMseFixture(dtype: FloatDType): MlpMseFixture {
  const golden = readMlpMseGolden();
  const stateDict: Record<string, Tensor> = {};
  const probe: Record<string, Tensor> = {};
  for (const { name, shape, offset, values } of golden.params) {
    stateDict[name] = jsonTensor(values, dtype);
    const size = values.data.length;
    probe[name] = tensor(golden.v.data.slice(offset, offset + size), { dtype, shape });
  }
  const { X, y } = loadNpz(mlpMseFile("mlp-mse.data.npz"));
  const batches = mlpMseBatches(X, y, dtype).map(([Xb, yb]) => ({ X: Xb, y: yb }));
  const { loss, outputs, gradient, hvp, ggnvp } = golden.results;
  return {
    onnxBytes: mlpMseFile("mlp-mse.onnx"),
    stateDict,
    probe,
    batches,
    numData: golden.num_data,
    expected: { loss, outputs, gradient: gradient.data, hvp: hvp.data, ggnvp: ggnvp.data },
  };
}
