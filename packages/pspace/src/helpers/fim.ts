/**
 * NNGeometry's `FIM` and `FIM_MonteCarlo`: the Fisher information matrix of
 * a model's predictive distribution in any representation.
 */
import { BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, type CurvatureLoss, type Module } from "@curv/autodiff";
import { DEFAULT_SEED, type DataSource } from "@curv/operators";
import { DTypeError, ValueError, type FloatDType, type Tensor } from "@curv/tensor";
import { LayerCollection } from "../layers/layer-collection.js";
import { DEFAULT_MAX_DENSE_BYTES } from "../pmat/dense-size.js";
import type { FisherSource, RunOptions } from "./fisher-source.js";

/** The predictive distributions NNGeometry's `FIM` knows: softmax over logits, a sigmoid of one logit, a unit Gaussian. */
export type FIMVariant = "classif_logits" | "classif_binary_logits" | "regression";

/** A representation that can be built from a Fisher's source: every `PMat*` class (its static `build`). */
export interface PMatRepresentation<M> {
  readonly name: string;
  build(source: FisherSource): Promise<M>;
}

/** What {@link FIM} takes: NNGeometry's arguments in camelCase, and the options of @curv/operators' operators. */
export interface FIMOptions<M> extends RunOptions {
  readonly model: Module;
  /** An array or (async) iterable of `[X, y]` batches, read in order, several times; y is ignored. */
  readonly loader: DataSource;
  /** `PMatDense`, `PMatDiag`, `PMatBlockDiag`, `PMatKFAC`, `PMatEKFAC`, `PMatLowRank`, `PMatQuasiDiag`, `PMatImplicit`, `PMatEKFACBlockDiag`. */
  readonly representation: PMatRepresentation<M>;
  /** Default `"classif_logits"`. */
  readonly variant?: FIMVariant;
  /** Default `LayerCollection.fromModel(model)`. */
  readonly layerCollection?: LayerCollection;
  /** The largest dense matrix PMatDense / PMatBlockDiag may build, in bytes; default 4 GiB. */
  readonly maxDenseBytes?: number;
}

/** {@link FIMMonteCarlo}'s options: {@link FIM}'s, the number of sampled targets per example and the seed. */
export interface FIMMonteCarloOptions<M> extends FIMOptions<M> {
  /** T, sampled targets per example; default 1. */
  readonly trials?: number;
  /** Seed of the host-drawn samples; default 2147483647. */
  readonly seed?: number;
  /** `regression`: the Gaussian's variance σ² (default 1); the Fisher is `JᵀJ/σ²`. */
  readonly covariance?: number;
}

function modelDType(model: Module): FloatDType {
  const parameters = model.namedParameters();
  if (parameters.length === 0) throw new ValueError("FIM: the model has no parameters");
  const dtypes = new Set(parameters.map(([, t]) => t.dtype));
  if (dtypes.size > 1) throw new DTypeError(`FIM: the model's parameters mix dtypes (${[...dtypes].join(", ")}); convert it with model.to(dtype)`);
  return parameters[0][1].dtype as FloatDType;
}

async function countExamples(loader: DataSource, batchSizeFn: ((X: Tensor) => number) | undefined): Promise<number> {
  let n = 0;
  for await (const batch of loader as AsyncIterable<readonly [Tensor, Tensor]>) n += batchSizeFn === undefined ? batch[0].shape[0] : batchSizeFn(batch[0]);
  return n;
}

/** The variant's loss, host scale and dropped seeds (see fisher-source.ts). */
async function variantLoss(variant: FIMVariant, options: FIMOptions<unknown>, monteCarlo: boolean, covariance: number): Promise<{ loss: CurvatureLoss; scale: number; droppedSeeds: number }> {
  switch (variant) {
    case "classif_logits":
      return { loss: new CrossEntropyLoss({ hessianSqrt: "cholesky" }), scale: 1, droppedSeeds: monteCarlo ? 0 : 1 };
    case "classif_binary_logits":
      return { loss: new BCEWithLogitsLoss(), scale: 1, droppedSeeds: 0 };
    case "regression": {
      // MSE under sum has the Hessian 2I per example: (1/(2N σ²)) Σ Jᵀ 2I J = JᵀJ/(N σ²).
      const n = options.numData ?? (await countExamples(options.loader, options.batchSizeFn));
      return { loss: new MSELoss({ reduction: "sum" }), scale: 1 / (2 * n * covariance), droppedSeeds: 0 };
    }
    default:
      throw new ValueError(`FIM: variant must be "classif_logits", "classif_binary_logits" or "regression", got ${JSON.stringify(variant)}`);
  }
}

/**
 * A BatchNorm in training mode normalizes each example by its batch's
 * statistics, so per-example gradients are not those of the model the
 * batch sees: NNGeometry raises, and so does curv.
 */
function assertNoBatchStatistics(model: Module): void {
  const training = model.namedModules().filter(([, m]) => m.kind === "BatchNorm2d" && m.training).map(([name]) => `"${name}"`);
  if (training.length > 0) throw new ValueError(`FIM: the BatchNorm2d layers ${training.join(", ")} are in training mode (batch statistics); call model.eval() first`);
}

async function fisherSource(options: FIMOptions<unknown>, mcSamples: number, seed: number, covariance: number): Promise<FisherSource> {
  const { model, loader, representation, variant = "classif_logits", layerCollection, maxDenseBytes = DEFAULT_MAX_DENSE_BYTES, ...run } = options;
  if (representation === undefined || typeof (representation as PMatRepresentation<unknown>).build !== "function") {
    throw new ValueError(`FIM: representation must be a PMat class such as PMatKFAC, got ${String(representation)}`);
  }
  assertNoBatchStatistics(model);
  const dtype = modelDType(model);
  const { loss, scale, droppedSeeds } = await variantLoss(variant, options, mcSamples > 0, covariance);
  const runOptions: RunOptions = Object.fromEntries(Object.entries(run).filter(([key]) => !["trials", "seed", "covariance"].includes(key)));
  return {
    model, loader, layerCollection: layerCollection ?? LayerCollection.fromModel(model), loss, scale, droppedSeeds,
    mcSamples, seed, options: runOptions, dtype, maxDenseBytes,
  };
}

/**
 * The Fisher information matrix `F = (1/n) Σᵢ E_{y~p(y|xᵢ)}[∇log p ∇log pᵀ]`
 * of the model's predictive distribution over the loader's examples, in
 * closed form, as the representation asks; corresponds to NNGeometry's
 * `FIM`. `classif_logits` uses NNGeometry's C−1 Cholesky factorization of
 * `diag(p) − ppᵀ` (`CrossEntropyLoss({ hessianSqrt: "cholesky" })`),
 * `classif_binary_logits` `p(1−p)` of one logit, `regression` the identity
 * (the GGN `JᵀJ/n`). The labels in the loader are not used.
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader: batches, representation: PMatKFAC, runtime: "js" });
 * F.trace(); F.vTMv(v); F.solve(v, { regul: 1e-3 });
 * ```
 */
export async function FIM<M>(options: FIMOptions<M>): Promise<M> {
  const source = await fisherSource(options as FIMOptions<unknown>, 0, DEFAULT_SEED, 1);
  return options.representation.build(source);
}

/**
 * The Monte-Carlo Fisher: T targets per example sampled from the model's
 * predictive distribution (seeded; the same draws on every runtime), in the
 * representation asked; corresponds to NNGeometry's `FIM_MonteCarlo`.
 * `regression` samples `ε ~ N(0, σ²I)` and estimates `JᵀJ/σ²` (NNGeometry's
 * estimates `σ²JᵀJ`; see the package README).
 *
 * @example
 * ```ts
 * const F = await FIMMonteCarlo({ model, loader, representation: PMatDiag, trials: 10, seed: 0 });
 * ```
 */
export async function FIMMonteCarlo<M>(options: FIMMonteCarloOptions<M>): Promise<M> {
  const { trials = 1, seed = DEFAULT_SEED, covariance = 1 } = options;
  if (!Number.isInteger(trials) || trials < 1) throw new ValueError(`FIMMonteCarlo: trials must be a positive integer, got ${trials}`);
  if (!(covariance > 0)) throw new ValueError(`FIMMonteCarlo: covariance must be positive, got ${covariance}`);
  const source = await fisherSource(options as FIMOptions<unknown>, trials, seed, covariance);
  return options.representation.build(source);
}
