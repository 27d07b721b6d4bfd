import { eye, type DType, type FloatDType, type Generator, type Tensor, type ValueType } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import type { InputSpec } from "../core/program.js";
import type { Value } from "../core/value.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { mul } from "../primitives/mul.js";
import { sub } from "../primitives/sub.js";
import type { CurvatureLoss, Reduction } from "./loss.js";
import { batchScaleOf, checkNoise, checkOutput, checkReduction, checkSamples, checkSameType, reduce, staticSize, withClassAxis } from "./loss-helpers.js";

/**
 * Squared error, `(f - y)^2` per element, averaged over every element
 * (`"mean"`, dividing by N * C) or summed; corresponds to PyTorch's
 * `torch.nn.MSELoss`.
 *
 * Curvature pieces (curvlinops): the per-datum Hessian is `2 c' I` with
 * `c' = 1/C` under `"mean"` (C = the entries of one example), so
 * `S = sqrt(2 c') I`; MC would-be gradients are `sqrt(2 c') eps` with
 * `eps ~ N(0, I)` (the gradient at a target drawn from the Gaussian whose
 * negative log-density is the loss).
 *
 * @example
 * ```ts
 * const loss = new MSELoss();                       // reduction "mean"
 * const value = loss.value(output, target);         // mean((output - target)^2)
 * const s = loss.hessianSqrt(output);               // [N, C, C]
 * ```
 */
export class MSELoss implements CurvatureLoss {
  readonly kind = "MSELoss";
  readonly reduction: Reduction;

  constructor({ reduction = "mean" }: { reduction?: Reduction } = {}) {
    this.reduction = checkReduction(this.kind, reduction);
  }

  value(output: Value, target: Value): Value {
    checkOutput(this.kind, output);
    checkSameType(this.kind, output, target);
    const residual = sub(output, target);
    return reduce(mul(residual, residual), this.reduction);
  }

  batchScale(output: Value): Value {
    return batchScaleOf(output, this.reduction);
  }

  datumScale(outputShape: readonly (number | string)[]): number {
    return this.reduction === "sum" ? 1 : 1 / staticSize(this.kind, outputShape.slice(1));
  }

  hessianSqrt(output: Value): Value {
    checkOutput(this.kind, output);
    const rows = withClassAxis(output);
    const classes = rows.shape[rows.rank - 1] as number;
    const block = mul(literal(eye(classes, classes, output.dtype as FloatDType)), Math.sqrt(2 * this.datumScale(output.shape)));
    return broadcastTo(block, [...rows.shape, classes]);
  }

  noiseSpec(output: ValueType, samples: number): InputSpec {
    return { dtype: output.dtype, shape: [checkSamples(samples), ...output.shape] };
  }

  drawNoise(generator: Generator, outputShape: readonly number[], samples: number, dtype: DType): Tensor {
    return generator.normal([checkSamples(samples), ...outputShape], { dtype: dtype as FloatDType });
  }

  sampledGradients(output: Value, noise: Value): Value {
    checkOutput(this.kind, output);
    checkNoise(this.kind, noise, output.shape);
    return mul(noise, Math.sqrt(2 * this.datumScale(output.shape)));
  }
}
