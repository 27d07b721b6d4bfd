/**
 * The mlp-mse reference fixture (PyTorch 1.13, float64; fixtures/mlp-mse at
 * the repository root) as the KFAC tests read it: the model with its
 * weights, the two batches, the P x P reference matrices and the per-layer
 * Kronecker factors.
 */
import { readFileSync } from "node:fs";
import { Linear, ReLU, Sequential, Sigmoid, loadNpz } from "@curv/autodiff";
import { tensor, type FloatDType, type Tensor } from "@curv/tensor";

const FOLDER = new URL("../../../../../fixtures/mlp-mse/", import.meta.url);

interface JsonTensor {
  readonly shape: number[];
  readonly data: number[];
}

/** The fixture's factors of one layer. */
export interface FixtureLayerFactors {
  readonly layer: string;
  readonly params: [string, string];
  /** Joint A (with the bias' one), `[D2 + 1, D2 + 1]`. */
  readonly A: JsonTensor;
  readonly G: JsonTensor;
  /** theta positions of the row-major `[W | b]`. */
  readonly theta_index_joint: number[];
}

interface GoldenJson {
  readonly num_data: number;
  readonly params: { name: string; shape: number[]; values: JsonTensor }[];
  readonly data: { batch_sizes: number[] };
  readonly matrices: Record<"ggn" | "empirical_fisher" | "kfac" | "ekfac" | "kfac_separate" | "ekfac_separate", JsonTensor>;
  readonly kfac_factors: Record<string, FixtureLayerFactors>;
  readonly results: { outputs: JsonTensor[] };
}

const golden = JSON.parse(readFileSync(new URL("mlp-mse.golden.json", FOLDER), "utf8")) as GoldenJson;

/** The fixture's parameter names, in theta order. */
export const FIXTURE_PARAMETERS = golden.params.map((p) => p.name);

/** A reference matrix, `[P, P]` in theta order. */
export function fixtureMatrix(name: keyof GoldenJson["matrices"]): Tensor<"float64"> {
  const m = golden.matrices[name];
  return tensor(m.data, { dtype: "float64", shape: m.shape });
}

/** The model's outputs on the fixture's data, `[N, 3]` rows in batch order. */
export const FIXTURE_OUTPUTS: readonly number[][] = golden.results.outputs.flatMap((o) => Array.from({ length: o.shape[0] }, (_, i) => o.data.slice(i * o.shape[1], (i + 1) * o.shape[1])));

/** The fixture's factors, layer by layer. */
export const FIXTURE_FACTORS: readonly FixtureLayerFactors[] = Object.values(golden.kfac_factors);

/** The fixture's model (Linear(7,5), ReLU, Linear(5,5), Sigmoid, Linear(5,3)) with its weights, and its batches, in `dtype`. */
export function fixtureProblem<D extends FloatDType>(dtype: D): { model: Sequential; batches: [Tensor, Tensor][]; numData: number } {
  const model = new Sequential(new Linear(7, 5, { dtype }), new ReLU(), new Linear(5, 5, { dtype }), new Sigmoid(), new Linear(5, 3, { dtype }));
  model.loadStateDict(Object.fromEntries(golden.params.map((p) => [p.name, tensor(p.values.data, { dtype, shape: p.shape })])));
  const { X, y } = loadNpz(new Uint8Array(readFileSync(new URL("mlp-mse.data.npz", FOLDER))));
  let start = 0;
  const batches = golden.data.batch_sizes.map((size): [Tensor, Tensor] => {
    const batch: [Tensor, Tensor] = [X.slice([start, start + size]).astype(dtype), y.slice([start, start + size]).astype(dtype)];
    start += size;
    return batch;
  });
  return { model, batches, numData: golden.num_data };
}
