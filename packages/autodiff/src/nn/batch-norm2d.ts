import { ones, zeros, ValueError, type FloatDType } from "@curv/tensor";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { div } from "../primitives/div.js";
import { mul } from "../primitives/mul.js";
import { reshape } from "../primitives/reshape.js";
import { sqrt } from "../primitives/sqrt.js";
import { sub } from "../primitives/sub.js";
import type { ForwardContext } from "./forward-context.js";
import { assertExtent, assertLayerInput, assertPositiveInteger } from "./layer-options.js";
import { Module } from "./module.js";
import { standardize } from "./normalize.js";

/** Options of {@link BatchNorm2d} (PyTorch's keyword arguments). */
export interface BatchNorm2dOptions {
  /** Added to the variance; default 1e-5. */
  readonly eps?: number;
  /** Kept for state compatibility; running statistics are not updated by a traced forward. Default 0.1. */
  readonly momentum?: number;
  /** Whether there are a learned scale `weight` and shift `bias`; default true. */
  readonly affine?: boolean;
  /** Whether there are running statistics (buffers `running_mean`, `running_var`, `num_batches_tracked`); default true. */
  readonly trackRunningStats?: boolean;
  /** The dtype of the parameters and statistics; default `"float32"`. */
  readonly dtype?: FloatDType;
}

/**
 * Per-channel normalization of NCHW images; corresponds to PyTorch's
 * `torch.nn.BatchNorm2d`. Parameters `weight` (ones) and `bias` (zeros),
 * `[numFeatures]`; buffers `running_mean` (zeros), `running_var` (ones) and
 * `num_batches_tracked` (int64 scalar), as in PyTorch's state dicts.
 *
 * In evaluation mode (the one curvature is usually computed in) it is an
 * affine map per channel with the running statistics:
 * `(x - running_mean) / sqrt(running_var + eps) * weight + bias`. In
 * training mode it normalizes with the batch's statistics (mean and biased
 * variance over N, H, W) like PyTorch's forward, but a traced program does
 * not update the running statistics.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm2d(16).eval();
 * bn.loadStateDict(stateDictFromPyTorch);   // weight, bias, running_mean, running_var, num_batches_tracked
 * ```
 */
export class BatchNorm2d extends Module {
  readonly kind = "BatchNorm2d";
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = "float32" }: BatchNorm2dOptions = {}) {
    super();
    assertPositiveInteger("BatchNorm2d", "numFeatures", numFeatures);
    if (!(eps >= 0)) throw new ValueError(`BatchNorm2d: eps must be non-negative, got ${eps}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    if (affine) {
      this.registerParameter("weight", ones([numFeatures], dtype));
      this.registerParameter("bias", zeros([numFeatures], dtype));
    }
    if (trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], dtype));
      this.registerBuffer("running_var", ones([numFeatures], dtype));
      this.registerBuffer("num_batches_tracked", zeros([], "int64"));
    }
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const expected = `[N, ${this.numFeatures}, H, W]`;
    const dtype = (this.affine ? this.ownParameter("weight") : this.ownBuffer("running_mean")).dtype;
    assertLayerInput(ctx, this, x, { rank: 4, dtype, expected });
    assertExtent(ctx, this, x, 1, this.numFeatures, expected);
    const perChannel = (v: Value): Value => reshape(v, [this.numFeatures, 1, 1]);
    // Only the affine variant has parameters, so only it is a tapped layer (its input is the module's, as a PyTorch hook sees it).
    const input = this.affine ? ctx.layerInput(this, x) : x;
    // PyTorch uses batch statistics in training mode, and always when it keeps no running ones.
    const useBatchStatistics = this.training || !this.trackRunningStats;
    const normalized = useBatchStatistics
      ? standardize(input, [0, 2, 3], this.eps)
      : div(sub(input, perChannel(ctx.buffer("running_mean"))), perChannel(sqrt(add(ctx.buffer("running_var"), literal(this.eps, x.dtype)))));
    if (!this.affine) return normalized;
    const y = add(mul(normalized, perChannel(ctx.parameter("weight"))), perChannel(ctx.parameter("bias")));
    return ctx.layer(this, input, y);
  }

  override toString(): string {
    return `BatchNorm2d(${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, track_running_stats=${this.trackRunningStats})`;
  }
}
