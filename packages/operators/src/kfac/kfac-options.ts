/**
 * The options KFAC and EKFAC share (curvlinops' `FisherType`, `KFACType` and
 * the keyword arguments of `KFACLinearOperator`), and their checks.
 */
import { ValueError } from "@curv/tensor";
import type { CurvatureOptions } from "../curvature/curvature-options.js";

/**
 * Which vectors are backpropagated to form the output-gradient factor G
 * (curvlinops' `FisherType`):
 * - `"type-2"`: the C columns of the loss-Hessian square root per example
 *   (exact in the loss Hessian; Botev et al. 2017's type-2 Fisher);
 * - `"mc"`: `mcSamples` would-be gradients at targets drawn from the model's
 *   predictive distribution (Martens & Grosse 2015, section 5);
 * - `"empirical"`: the gradient at the true targets;
 * - `"forward-only"`: none, G = I (FOOF, Benzing 2022; ISAAC, Petersen et al. 2023).
 */
export type FisherType = "type-2" | "mc" | "empirical" | "forward-only";

/**
 * How weight sharing (sequence positions of a Linear layer, spatial locations
 * of a Conv2d) enters the factors (Eschenhagen et al. 2023): `"expand"` treats
 * every shared position as an example of its own; `"reduce"` averages the
 * inputs and sums the output gradients over the shared positions first.
 */
export type KFACApproximation = "expand" | "reduce";

/**
 * Options of {@link KFACLinearOperator} and {@link EKFACLinearOperator}: those
 * of every curvature operator (`numData`, `progressbar`, `checkDeterministic`,
 * `runtime`, `seed` of the Monte-Carlo draws, ...) and KFAC's own.
 */
export interface KFACOptions extends CurvatureOptions {
  /** Default `"mc"`, as curvlinops. */
  readonly fisherType?: FisherType;
  /** Would-be gradients per example for `fisherType: "mc"`; must be 1 otherwise. Default 1. */
  readonly mcSamples?: number;
  /** Default `"expand"`. */
  readonly kfacApprox?: KFACApproximation;
  /**
   * Loss terms per example R (tokens per sequence); mean-reduced G is divided
   * by N·R. Default: the output's positions per example (its entries over
   * the class axis), as curvlinops infers it.
   */
  readonly numPerExampleLossTerms?: number;
  /** Separate Kronecker blocks for a layer's weight and bias; default true, as curvlinops. False appends a one to the inputs. */
  readonly separateWeightAndBias?: boolean;
}

/** KFAC's own options with defaults filled in and checked. */
export interface ResolvedKFACOptions {
  readonly fisherType: FisherType;
  readonly mcSamples: number;
  readonly kfacApprox: KFACApproximation;
  readonly numPerExampleLossTerms: number | undefined;
  readonly separateWeightAndBias: boolean;
}

const FISHER_TYPES: readonly FisherType[] = ["type-2", "mc", "empirical", "forward-only"];
const APPROXIMATIONS: readonly KFACApproximation[] = ["expand", "reduce"];

function positiveInteger(who: string, name: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new ValueError(`${who}: ${name} must be a positive integer, got ${String(value)}`);
  return value as number;
}

/** Fills in the defaults and checks every option; `fisherTypes` are the ones the operator supports. */
export function resolveKFACOptions(who: string, options: KFACOptions, fisherTypes: readonly FisherType[] = FISHER_TYPES): ResolvedKFACOptions {
  if (options === null || typeof options !== "object") throw new ValueError(`${who}: options must be an object, got ${String(options)}`);
  const { fisherType = "mc", mcSamples = 1, kfacApprox = "expand", separateWeightAndBias = true } = options;
  if (!fisherTypes.includes(fisherType)) {
    throw new ValueError(`${who}: fisherType must be one of ${fisherTypes.map((t) => `"${t}"`).join(", ")}, got ${JSON.stringify(fisherType)}`);
  }
  positiveInteger(who, "mcSamples", mcSamples);
  if (fisherType !== "mc" && mcSamples !== 1) throw new ValueError(`${who}: mcSamples must be 1 unless fisherType is "mc", got ${mcSamples} with "${fisherType}"`);
  if (!APPROXIMATIONS.includes(kfacApprox)) {
    throw new ValueError(`${who}: kfacApprox must be "expand" or "reduce", got ${JSON.stringify(kfacApprox)}`);
  }
  if (typeof separateWeightAndBias !== "boolean") throw new ValueError(`${who}: separateWeightAndBias must be a boolean, got ${String(separateWeightAndBias)}`);
  const terms = options.numPerExampleLossTerms;
  if (terms !== undefined) positiveInteger(who, "numPerExampleLossTerms", terms);
  return { fisherType, mcSamples, kfacApprox, separateWeightAndBias, numPerExampleLossTerms: terms };
}
