/** From `--kind` (and the other flags) to a curvature operator of `@curv/operators`. */
import {
  EFLinearOperator, EKFACLinearOperator, GGNLinearOperator, HessianLinearOperator, KFACLinearOperator,
  type CurvatureOptions, type DataBatch, type LinearOperator,
} from "@curv/operators";
import { BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, type CurvatureLoss, type Module } from "@curv/autodiff";
import type { FloatDType } from "@curv/tensor";
import type { CurvatureCommand, CurvatureKind, LossName, ProviderName } from "./command-line.js";

/** The loss object of `--loss` and `--reduction`. */
export function lossOf(loss: LossName, reduction: "mean" | "sum"): CurvatureLoss {
  if (loss === "mse") return new MSELoss({ reduction });
  if (loss === "cross-entropy") return new CrossEntropyLoss({ reduction });
  return new BCEWithLogitsLoss({ reduction });
}

/** Where to run, in the operators' option names: `js` is a runtime of its own, the rest are ORT providers. */
export function runtimeOptionsOf(provider: ProviderName | undefined): Pick<CurvatureOptions, "runtime" | "providers"> {
  if (provider === undefined) return {};
  if (provider === "js") return { runtime: "js" };
  return { runtime: "ort", providers: [provider] };
}

/** What every kind's constructor gets. */
interface OperatorParts {
  readonly model: Module;
  readonly loss: CurvatureLoss;
  readonly params: readonly string[];
  readonly data: readonly DataBatch[];
  readonly options: CurvatureOptions;
}

/**
 * Each kind as its `@curv/operators` class. `kfac` and `ekfac` use the type-2
 * Fisher (the loss-Hessian square root is backpropagated, so KFAC is exact in
 * the loss Hessian and deterministic, as the fixture's reference);
 * curvlinops' own default, `mc`, would make the matrix random.
 */
const OPERATOR_OF_KIND: Readonly<Record<CurvatureKind, (parts: OperatorParts, command: CurvatureCommand) => LinearOperator<FloatDType>>> = {
  hessian: ({ model, loss, params, data, options }) => new HessianLinearOperator(model, loss, params, data, options),
  ggn: ({ model, loss, params, data, options }) => new GGNLinearOperator(model, loss, params, data, { ...options, mcSamples: 0 }),
  "fisher-mc": ({ model, loss, params, data, options }, { mcSamples, seed }) =>
    new GGNLinearOperator(model, loss, params, data, { ...options, mcSamples, seed }),
  ef: ({ model, loss, params, data, options }) => new EFLinearOperator(model, loss, params, data, options),
  kfac: ({ model, loss, params, data, options }, { separateWeightAndBias }) =>
    new KFACLinearOperator(model, loss, params, data, { ...options, fisherType: "type-2", separateWeightAndBias }),
  ekfac: ({ model, loss, params, data, options }, { separateWeightAndBias }) =>
    new EKFACLinearOperator(model, loss, params, data, { ...options, fisherType: "type-2", separateWeightAndBias }),
};

/**
 * The operator `--kind` asks for, over `params` of `model` and the batches,
 * with the command's loss, runtime, dtype and Monte-Carlo settings.
 *
 * @example
 * ```ts
 * const ggn = createCurvatureOperator(command, model, ["0.weight", "0.bias"], batchesOf(X, y, 32), X.shape[0]);
 * await ggn.toDense();
 * ```
 */
export function createCurvatureOperator(
  command: CurvatureCommand,
  model: Module,
  params: readonly string[],
  batches: readonly DataBatch[],
  numData: number,
): LinearOperator<FloatDType> {
  const options: CurvatureOptions = {
    numData,
    dtype: command.dtype,
    // One bar per run: toDense draws its own over the column chunks (and a
    // per-product bar inside it would break its line), matvec is one product.
    progressbar: command.command === "matvec",
    ...runtimeOptionsOf(command.provider),
  };
  return OPERATOR_OF_KIND[command.kind]({ model, loss: lossOf(command.loss, command.reduction), params, data: batches, options }, command);
}
