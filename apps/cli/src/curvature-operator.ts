/**
 * From `--kind` to a curvature operator of `@curv/operators`. The operator
 * classes are looked up by name in the package, so a kind whose operator
 * this build lacks is an {@link UnsupportedKindError}, not a crash.
 */
import * as operators from "@curv/operators";
import { BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, type CurvatureLoss, type Module } from "@curv/autodiff";
import type { FloatDType } from "@curv/tensor";
import { UnsupportedKindError } from "./cli-errors.js";
import type { CurvatureCommand, CurvatureKind, LossName, ProviderName } from "./command-line.js";
import type { Batch } from "./input-files.js";

/** The loss object of `--loss` and `--reduction`. */
export function lossOf(loss: LossName, reduction: "mean" | "sum"): CurvatureLoss {
  if (loss === "mse") return new MSELoss({ reduction });
  if (loss === "cross-entropy") return new CrossEntropyLoss({ reduction });
  return new BCEWithLogitsLoss({ reduction });
}

/** Where to run, in the operators' option names: `js` is a runtime of its own, the rest are ORT providers. */
export function runtimeOptionsOf(provider: ProviderName | undefined): { runtime?: "js" | "ort"; providers?: readonly string[] } {
  if (provider === undefined) return {};
  if (provider === "js") return { runtime: "js" };
  return { runtime: "ort", providers: [provider] };
}

/** The class of `@curv/operators` each kind builds, and the options that make it that kind. */
interface KindRecipe {
  readonly className: string;
  options(command: CurvatureCommand): Record<string, unknown>;
}

/**
 * `kfac` and `ekfac` use the type-2 Fisher (the loss-Hessian square root is
 * backpropagated, so KFAC is exact in the loss Hessian, as the fixture's
 * reference); curvlinops' own default, `mc`, would make the matrix random.
 */
export const KIND_RECIPES: Readonly<Record<CurvatureKind, KindRecipe>> = {
  hessian: { className: "HessianLinearOperator", options: () => ({}) },
  ggn: { className: "GGNLinearOperator", options: () => ({ mcSamples: 0 }) },
  "fisher-mc": { className: "GGNLinearOperator", options: ({ mcSamples, seed }) => ({ mcSamples, seed }) },
  ef: { className: "EFLinearOperator", options: () => ({}) },
  kfac: { className: "KFACLinearOperator", options: (c) => ({ fisherType: "type-2", separateWeightAndBias: c.separateWeightAndBias }) },
  ekfac: { className: "EKFACLinearOperator", options: (c) => ({ fisherType: "type-2", separateWeightAndBias: c.separateWeightAndBias }) },
};

/** A curvature operator's constructor, as every one in `@curv/operators` has it: `(model, loss, params, data, options)`. */
type CurvatureOperatorClass = new (
  model: Module,
  loss: CurvatureLoss,
  params: readonly string[],
  data: readonly Batch[],
  options: Record<string, unknown>,
) => operators.LinearOperator<FloatDType>;

/** Whether this build of `@curv/operators` has the operator of `kind`. */
export function isKindAvailable(kind: CurvatureKind): boolean {
  return typeof (operators as Record<string, unknown>)[KIND_RECIPES[kind].className] === "function";
}

/**
 * The operator `--kind` asks for, over `params` of `model` and the batches,
 * with the command's runtime, dtype and Monte-Carlo settings.
 *
 * @throws {UnsupportedKindError} when this build of `@curv/operators` lacks the kind's class.
 */
export function createCurvatureOperator(
  command: CurvatureCommand,
  model: Module,
  params: readonly string[],
  batches: readonly Batch[],
  numData: number,
): operators.LinearOperator<FloatDType> {
  const recipe = KIND_RECIPES[command.kind];
  const available = (Object.keys(KIND_RECIPES) as CurvatureKind[]).filter(isKindAvailable);
  if (!isKindAvailable(command.kind)) {
    throw new UnsupportedKindError(
      `--kind ${command.kind} is not supported: @curv/operators has no ${recipe.className} yet (available: ${available.join(", ") || "none"})`,
    );
  }
  const OperatorClass = (operators as Record<string, unknown>)[recipe.className] as CurvatureOperatorClass;
  return new OperatorClass(model, lossOf(command.loss, command.reduction), params, batches, {
    numData,
    dtype: command.dtype,
    // One bar per run: toDense draws its own over the column chunks (and a
    // per-product bar inside it would break its line), matvec is one product.
    progressbar: command.command === "matvec",
    ...runtimeOptionsOf(command.provider),
    ...recipe.options(command),
  });
}
