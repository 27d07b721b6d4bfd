import { type DType, type FloatDType, type Generator, type Tensor, type ValueType } from "@curv/tensor";
import { softplus } from "../composites/softplus.js";
import type { InputSpec } from "../core/program.js";
import type { Value } from "../core/value.js";
import { cast } from "../primitives/cast.js";
import { less } from "../primitives/less.js";
import { mul } from "../primitives/mul.js";
import { reshape } from "../primitives/reshape.js";
import { sigmoid } from "../primitives/sigmoid.js";
import { sqrt } from "../primitives/sqrt.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { sub } from "../primitives/sub.js";
import type { CurvatureLoss, Reduction } from "./loss.js";
import {
  batchScaleOf, checkNoise, checkOutput, checkReduction, checkSamples, checkSameType, diagonalBlocks, reduce, staticSize, withClassAxis,
} from "./loss-helpers.js";

/**
 * Binary cross-entropy of logits `f` against targets `t` in [0, 1],
 * `softplus(f) - t f` per element (`-t log sigmoid(f) - (1 - t) log(1 - sigmoid(f))`,
 * computed without overflow), averaged over every element (`"mean"`,
 * dividing by N * C) or summed; corresponds to PyTorch's
 * `torch.nn.BCEWithLogitsLoss` (no weights, no `pos_weight`).
 *
 * Curvature pieces (curvlinops): the per-datum Hessian is
 * `c' diag(sigma (1 - sigma))` with `c' = 1/C` under `"mean"`, whatever the
 * targets, so `S = sqrt(c') diag(sqrt(sigma (1 - sigma)))`; MC would-be
 * gradients are `sqrt(c') (sigma - y~)` with `y~ ~ Bernoulli(sigma)`,
 * drawn in the program as `u < sigma` from host-drawn uniforms `u`.
 *
 * @example
 * ```ts
 * const loss = new BCEWithLogitsLoss({ reduction: "sum" });
 * const value = loss.value(logits, targets);        // targets: float, logits' shape
 * ```
 */
export class BCEWithLogitsLoss implements CurvatureLoss {
  readonly kind = "BCEWithLogitsLoss";
  readonly reduction: Reduction;

  constructor({ reduction = "mean" }: { reduction?: Reduction } = {}) {
    this.reduction = checkReduction(this.kind, reduction);
  }

  value(output: Value, target: Value): Value {
    checkOutput(this.kind, output);
    checkSameType(this.kind, output, target);
    return reduce(sub(softplus(output), mul(target, output)), this.reduction);
  }

  batchScale(output: Value): Value {
    return batchScaleOf(output, this.reduction);
  }

  datumScale(outputShape: readonly (number | string)[]): number {
    return this.reduction === "sum" ? 1 : 1 / staticSize(this.kind, outputShape.slice(1));
  }

  hessianSqrt(output: Value): Value {
    checkOutput(this.kind, output);
    const probability = sigmoid(withClassAxis(output));
    return diagonalBlocks(sqrt(mul(probability, sub(1, probability))), Math.sqrt(this.datumScale(output.shape)));
  }

  noiseSpec(output: ValueType, samples: number): InputSpec {
    return { dtype: output.dtype, shape: [checkSamples(samples), ...output.shape] };
  }

  drawNoise(generator: Generator, outputShape: readonly number[], samples: number, dtype: DType): Tensor {
    return generator.uniform([checkSamples(samples), ...outputShape], { dtype: dtype as FloatDType });
  }

  sampledGradients(output: Value, noise: Value): Value {
    checkOutput(this.kind, output);
    checkNoise(this.kind, noise, output.shape);
    const probability = stopGradient(sigmoid(output));
    const sampled = cast(less(noise, reshape(probability, [1, ...output.shape])), output.dtype);
    return mul(sub(probability, sampled), Math.sqrt(this.datumScale(output.shape)));
  }
}
