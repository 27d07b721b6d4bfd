/**
 * Pooling layers over 2-D windows of NCHW images: PyTorch's `MaxPool2d`
 * and `AvgPool2d` (floor mode; average pooling counts padding as zeros).
 */
import { avgPool2d } from "../composites/avg-pool2d.js";
import type { Value } from "../core/value.js";
import { maxPool2d } from "../primitives/max-pool2d.js";
import { pairOf, type Pair } from "./conv2d.js";
import type { ForwardContext } from "./forward-context.js";
import { assertLayerInput } from "./layer-options.js";
import { Module } from "./module.js";

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dLayerOptions {
  /** Default: the kernel size. */
  readonly stride?: Pair;
  /** Symmetric padding (never wins the maximum); at most half the kernel. */
  readonly padding?: Pair;
  readonly dilation?: Pair;
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions {
  /** Default: the kernel size. */
  readonly stride?: Pair;
  /** Symmetric zero padding, counted in the average (PyTorch's `count_include_pad=True`). */
  readonly padding?: Pair;
}

/**
 * The maximum of each window; corresponds to PyTorch's `torch.nn.MaxPool2d`
 * (`ceil_mode=False`).
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2);                 // [N, C, 8, 8] -> [N, C, 4, 4]
 * ```
 */
export class MaxPool2d extends Module {
  readonly kind = "MaxPool2d";
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];

  constructor(kernelSize: Pair, { stride, padding = 0, dilation = 1 }: MaxPool2dLayerOptions = {}) {
    super();
    this.kernelSize = pairOf("MaxPool2d", "kernelSize", kernelSize, 1);
    this.stride = pairOf("MaxPool2d", "stride", stride ?? this.kernelSize, 1);
    this.padding = pairOf("MaxPool2d", "padding", padding, 0);
    this.dilation = pairOf("MaxPool2d", "dilation", dilation, 1);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    assertLayerInput(ctx, this, x, { rank: 4, expected: "[N, C, H, W]" });
    return maxPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation });
  }

  override toString(): string {
    return `MaxPool2d(kernel_size=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}], dilation=[${this.dilation}])`;
  }
}

/**
 * The mean of each window, padding counted as zeros; corresponds to
 * PyTorch's `torch.nn.AvgPool2d` (`ceil_mode=False`, `count_include_pad=True`).
 *
 * @example
 * ```ts
 * const pool = new AvgPool2d(2);                 // [N, C, 8, 8] -> [N, C, 4, 4]
 * ```
 */
export class AvgPool2d extends Module {
  readonly kind = "AvgPool2d";
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Pair, { stride, padding = 0 }: AvgPool2dLayerOptions = {}) {
    super();
    this.kernelSize = pairOf("AvgPool2d", "kernelSize", kernelSize, 1);
    this.stride = pairOf("AvgPool2d", "stride", stride ?? this.kernelSize, 1);
    this.padding = pairOf("AvgPool2d", "padding", padding, 0);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    assertLayerInput(ctx, this, x, { rank: 4, expected: "[N, C, H, W]" });
    return avgPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding });
  }

  override toString(): string {
    return `AvgPool2d(kernel_size=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}])`;
  }
}
