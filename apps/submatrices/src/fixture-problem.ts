/**
 * The tutorial's problem, from the repository's fixture: the MLP
 * `Linear(7, 5), ReLU, Linear(5, 5), Sigmoid, Linear(5, 3)` with MSE loss on
 * two batches of 4 examples, as PyTorch exported it (`mlp-mse.onnx`,
 * `mlp-mse.data.npz`), and the Hessian PyTorch computed for it (the
 * tutorial's `functorch_hessian`), from `mlp-mse.golden.json`.
 */
import { importOnnx, loadNpz, MSELoss, type CurvatureLoss, type OnnxModel } from "@curv/autodiff";
import { jsonTensor, mlpMseBatches, mlpMseFile, readMlpMseGolden } from "@curv/fixtures";
import type { Tensor } from "@curv/tensor";

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

/** Loads the fixture MLP in float64 (the repository's `fixtures/mlp-mse`). */
export function loadFixtureProblem(): FixtureProblem {
  const model = importOnnx(mlpMseFile("mlp-mse.onnx"), { dtype: "float64" });
  const { X, y } = loadNpz(mlpMseFile("mlp-mse.data.npz"));
  const named = model.namedParameters();
  return {
    model,
    lossFunction: new MSELoss({ reduction: "mean" }),
    params: named.map(([name]) => name),
    paramDims: named.map(([, p]) => p.size),
    // The fixture's batches, in order (two of 4); float32 data are exact in float64.
    data: mlpMseBatches(X, y, "float64"),
    referenceHessian: jsonTensor(readMlpMseGolden().matrices.hessian, "float64"),
  };
}
