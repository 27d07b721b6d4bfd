/**
 * The six matrices of the tour, in the seed's order, each as the class of
 * `@curv/operators` that computes it and the options that make it that
 * matrix. Classes are looked up by name, so an operator this build of
 * `@curv/operators` lacks leaves its panel out instead of failing the tour.
 */
import * as operators from "@curv/operators";
import type { CurvatureLoss, Module } from "@curv/autodiff";
import type { FloatDType, Tensor } from "@curv/tensor";

/** One panel of the grid: its title, and how to build its operator. */
export interface CurvaturePanel {
  readonly title: string;
  /** The `@curv/operators` class. */
  readonly className: string;
  /** Options beyond the shared ones (numData, runtime, progress). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Hessian, GGN, EF, EKFAC, MC-Fisher, KFAC: the seed's `matrices` list. As in
 * the seed, MC-Fisher is the GGN with one Monte-Carlo sample per example, and
 * KFAC and EKFAC take curvlinops' defaults (Monte-Carlo type with one sample,
 * separate weight and bias blocks).
 */
export const CURVATURE_PANELS: readonly CurvaturePanel[] = [
  { title: "Hessian", className: "HessianLinearOperator", options: {} },
  { title: "Generalized Gauss-Newton", className: "GGNLinearOperator", options: {} },
  { title: "Empirical Fisher", className: "EFLinearOperator", options: {} },
  { title: "EKFAC", className: "EKFACLinearOperator", options: {} },
  { title: "Monte-Carlo Fisher", className: "GGNLinearOperator", options: { mcSamples: 1 } },
  { title: "KFAC", className: "KFACLinearOperator", options: {} },
];

/** A curvature operator's constructor: `(model, loss, params, data, options)`. */
type CurvatureOperatorClass = new (
  model: Module,
  loss: CurvatureLoss,
  params: readonly string[],
  data: readonly [Tensor, Tensor][],
  options: Record<string, unknown>,
) => operators.LinearOperator<FloatDType>;

/** The class of `panel`, or `undefined` when this build of `@curv/operators` has none of that name. */
export function operatorClassOf(panel: CurvaturePanel): CurvatureOperatorClass | undefined {
  const found = (operators as Record<string, unknown>)[panel.className];
  return typeof found === "function" ? (found as CurvatureOperatorClass) : undefined;
}
