/**
 * The six matrices of the tour, in the seed's order, each with the
 * `@curv/operators` class that computes it and the options that make it
 * that matrix.
 */
import {
  EFLinearOperator, EKFACLinearOperator, GGNLinearOperator, HessianLinearOperator, KFACLinearOperator,
  type CurvatureOptions, type DataBatch, type LinearOperator,
} from "@curv/operators";
import type { CurvatureLoss, Module } from "@curv/autodiff";
import type { FloatDType } from "@curv/tensor";

/** Builds a panel's operator from the model, loss, parameter names, data and the shared options. */
export type PanelOperatorFactory = (
  model: Module,
  loss: CurvatureLoss,
  params: readonly string[],
  data: readonly DataBatch[],
  options: CurvatureOptions,
) => LinearOperator<FloatDType>;

/** One panel of the grid: its title, and how to build its operator. */
export interface CurvaturePanel {
  readonly title: string;
  readonly operator: PanelOperatorFactory;
}

/**
 * Hessian, GGN, EF, EKFAC, MC-Fisher, KFAC: the seed's `matrices` list. As in
 * the seed, MC-Fisher is the GGN with one Monte-Carlo sample per example, and
 * KFAC and EKFAC take curvlinops' defaults (Monte-Carlo type with one sample,
 * separate weight and bias blocks).
 */
export const CURVATURE_PANELS: readonly CurvaturePanel[] = [
  { title: "Hessian", operator: (...args) => new HessianLinearOperator(...args) },
  { title: "Generalized Gauss-Newton", operator: (...args) => new GGNLinearOperator(...args) },
  { title: "Empirical Fisher", operator: (...args) => new EFLinearOperator(...args) },
  { title: "EKFAC", operator: (...args) => new EKFACLinearOperator(...args) },
  { title: "Monte-Carlo Fisher", operator: (model, loss, params, data, options) => new GGNLinearOperator(model, loss, params, data, { ...options, mcSamples: 1 }) },
  { title: "KFAC", operator: (...args) => new KFACLinearOperator(...args) },
];
