/**
 * The mlp-mse reference fixture (PyTorch 1.13, float64; fixtures/mlp-mse at
 * the repository root) as the KFAC tests read it: the model with its
 * weights, the two batches, the P x P reference matrices and the per-layer
 * Kronecker factors.
 */
import { Linear, ReLU, Sequential, Sigmoid, loadNpz } from "@curv/autodiff";
import { jsonTensor, mlpMseBatches, mlpMseFile, readMlpMseGolden, type MlpMseLayerFactors, type MlpMseMatrixName } from "@curv/fixtures";
import type { FloatDType, Tensor } from "@curv/tensor";

const golden = readMlpMseGolden();

/** The fixture's parameter names, in theta order. */
export const FIXTURE_PARAMETERS = golden.params.map((p) => p.name);

/** A reference matrix, `[P, P]` in theta order. */
export function fixtureMatrix(name: MlpMseMatrixName): Tensor<"float64"> {
  return jsonTensor(golden.matrices[name], "float64");
}

/** The model's outputs on the fixture's data, `[N, 3]` rows in batch order. */
export const FIXTURE_OUTPUTS: readonly number[][] = golden.results.outputs.flatMap((o) => Array.from({ length: o.shape[0] }, (_, i) => o.data.slice(i * o.shape[1], (i + 1) * o.shape[1])));

/** The fixture's factors, layer by layer. */
export const FIXTURE_FACTORS: readonly MlpMseLayerFactors[] = Object.values(golden.kfac_factors);

/** The fixture's model (Linear(7,5), ReLU, Linear(5,5), Sigmoid, Linear(5,3)) with its weights, and its batches, in `dtype`. */
export function fixtureProblem<D extends FloatDType>(dtype: D): { model: Sequential; batches: [Tensor, Tensor][]; numData: number } {
  const model = new Sequential(new Linear(7, 5, { dtype }), new ReLU(), new Linear(5, 5, { dtype }), new Sigmoid(), new Linear(5, 3, { dtype }));
  model.loadStateDict(Object.fromEntries(golden.params.map((p) => [p.name, jsonTensor(p.values, dtype)])));
  const { X, y } = loadNpz(mlpMseFile("mlp-mse.data.npz"));
  return { model, batches: mlpMseBatches(X, y, dtype), numData: golden.num_data };
}
