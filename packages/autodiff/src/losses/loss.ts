/**
 * The contract every curvature-ready loss fulfils (curvlinops' conventions,
 * reference section 2). For a batch of N examples the loss is
 * `L = c * sum_n l_n` with `c = 1/N` under `"mean"` and `c = 1` under
 * `"sum"`; each example's `l_n` carries the per-datum factor `c'` of
 * PyTorch's elementwise mean (`1/C` for MSE and BCE, one over the number of
 * positions for cross-entropy; 1 under `"sum"`).
 */
import type { DType, Generator, Tensor, ValueType } from "@curv/tensor";
import type { InputSpec } from "../core/program.js";
import type { Value } from "../core/value.js";

/** How per-element losses are combined: PyTorch's `reduction` (`"none"` is not offered: curvature needs a scalar). */
export type Reduction = "mean" | "sum";

/**
 * A loss of a model's output against targets, with the pieces curvature
 * operators need: its value, a square root of its Hessian with respect to
 * the output, and Monte-Carlo "would-be gradients" for the MC Fisher.
 */
export interface CurvatureLoss {
  /** PyTorch's class name: `"MSELoss"`, `"CrossEntropyLoss"`, `"BCEWithLogitsLoss"`. */
  readonly kind: string;
  readonly reduction: Reduction;

  /** The loss of `output` against `target` as a traced scalar, with PyTorch's exact normalization. */
  value(output: Value, target: Value): Value;

  /** `c`: `1/N` under `"mean"` (N the batch extent, possibly symbolic), 1 under `"sum"`. A traced scalar. */
  batchScale(output: Value): Value;

  /** `c'`: the per-datum factor of the elementwise mean for an output of this shape (1 under `"sum"`). */
  datumScale(outputShape: readonly (number | string)[]): number;

  /**
   * A square root of each row's output Hessian, `[...rows, C, C]`, with
   * `S S^T = d^2 l_n / d f^2` per row (`c'` included, `c` not): rows are the
   * output's entries along every axis but the class axis (axis 1 for
   * cross-entropy, the last axis for MSE and BCE; a 1-D output has one
   * class). The Hessian of {@link CurvatureLoss.value} with respect to the
   * output is `c` times the block-diagonal matrix of these blocks.
   */
  hessianSqrt(output: Value): Value;

  /** The type of the random draws {@link CurvatureLoss.sampledGradients} reads for `samples` draws per example. */
  noiseSpec(output: ValueType, samples: number): InputSpec;

  /** Draws that noise on the host for a concrete output shape. */
  drawNoise(generator: Generator, outputShape: readonly number[], samples: number, dtype: DType): Tensor;

  /**
   * `[M, ...outputShape]`: M would-be gradients per example, gradients of
   * the loss at targets drawn from the model's predictive distribution (by
   * the host-drawn `noise`), scaled so their second moment is the output
   * Hessian: `E[g g^T] = S S^T` per example (`c'` included, `c` not). They
   * are constants to differentiation (the sampling does not depend
   * differentiably on the output).
   */
  sampledGradients(output: Value, noise: Value): Value;
}
