/**
 * The tutorial's problem, from the repository's fixture: the MLP
 * `Linear(7, 5), ReLU, Linear(5, 5), Sigmoid, Linear(5, 3)` with MSE loss on
 * two batches of 4 examples, as PyTorch exported it (`mlp-mse.onnx`,
 * `mlp-mse.data.npz`), and the Hessian PyTorch computed for it (the
 * tutorial's `functorch_hessian`), from `mlp-mse.golden.json`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importOnnx, loadNpz, MSELoss, type CurvatureLoss, type OnnxModel } from "@curv/autodiff";
import { Tensor } from "@curv/tensor";

/** Everything the tutorial works on. */
export interface FixtureProblem {
  readonly model: OnnxModel;
  readonly lossFunction: CurvatureLoss;
  /** Parameter names in the model's order. */
  readonly params: readonly string[];
  /** Elements per parameter, in that order (the seed's `param_dims`). */
  readonly paramDims: readonly number[];
  readonly data: [Tensor<"float64">, Tensor<"float64">][];
  /** PyTorch's dense Hessian, float64, `[P, P]`. */
  readonly referenceHessian: Tensor<"float64">;
}

/** The fixture's JSON, as far as the tutorial reads it. */
interface GoldenFile {
  readonly data: { readonly batches: readonly { readonly X: unknown }[] };
  readonly matrices: { readonly hessian: { readonly shape: [number, number]; readonly data: number[] } };
}

/** Loads the fixture MLP in float64 from `fixtureDir` (the repository's `fixtures/mlp-mse`). */
export function loadFixtureProblem(fixtureDir: string): FixtureProblem {
  const model = importOnnx(new Uint8Array(readFileSync(join(fixtureDir, "mlp-mse.onnx"))), { dtype: "float64" });
  const { X, y } = loadNpz(new Uint8Array(readFileSync(join(fixtureDir, "mlp-mse.data.npz"))));
  const golden = JSON.parse(readFileSync(join(fixtureDir, "mlp-mse.golden.json"), "utf8")) as GoldenFile;
  // The fixture's batches, in order (two of 4); float32 data are exact in float64.
  const batchSize = X.shape[0] / golden.data.batches.length;
  const data: [Tensor<"float64">, Tensor<"float64">][] = [];
  for (let start = 0; start < X.shape[0]; start += batchSize) {
    data.push([X.slice([start, start + batchSize]).astype("float64"), y.slice([start, start + batchSize]).astype("float64")]);
  }
  const { shape, data: entries } = golden.matrices.hessian;
  const named = model.namedParameters();
  return {
    model,
    lossFunction: new MSELoss({ reduction: "mean" }),
    params: named.map(([name]) => name),
    paramDims: named.map(([, p]) => p.size),
    data,
    referenceHessian: new Tensor("float64", shape, Float64Array.from(entries)),
  };
}
