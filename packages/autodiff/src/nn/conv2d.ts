import { ValueError, type FloatDType } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { conv2d } from "../primitives/conv2d.js";
import { reshape } from "../primitives/reshape.js";
import type { ForwardContext } from "./forward-context.js";
import { defaultBias, defaultGenerator, kaimingUniform } from "./init.js";
import { assertExtent, assertLayerInput, assertPositiveInteger, type ParameterOptions } from "./layer-options.js";
import { Module } from "./module.js";

/** A pair of extents `[height, width]`, or one number for both. */
export type Pair = number | readonly [number, number];

/** Zero padding: symmetric `[h, w]` or one number, or PyTorch's `"same"` (output as large as the input; stride 1 only) or `"valid"` (none). */
export type Conv2dPadding = Pair | "same" | "valid";

/** Options of {@link Conv2d} (PyTorch's keyword arguments; zero padding only). */
export interface Conv2dLayerOptions extends ParameterOptions {
  readonly stride?: Pair;
  readonly padding?: Conv2dPadding;
  readonly dilation?: Pair;
  readonly groups?: number;
  /** Whether the layer adds a learned bias; default true. */
  readonly bias?: boolean;
}

/** `value` as `[height, width]`, checked to be integers of at least `minimum`. */
export function pairOf(what: string, name: string, value: Pair, minimum: number): [number, number] {
  const pair: [number, number] = typeof value === "number" ? [value, value] : [value[0], value[1]];
  const valid = (typeof value === "number" || (Array.isArray(value) && value.length === 2)) && pair.every((v) => Number.isInteger(v) && v >= minimum);
  if (!valid) throw new ValueError(`${what}: ${name} must be an integer >= ${minimum} or a pair of them, got ${JSON.stringify(value)}`);
  return pair;
}

/**
 * The explicit `[top, left, bottom, right]` padding of PyTorch's string
 * modes: `"same"` pads `dilation * (k - 1)` in total per axis, the odd one
 * at the bottom/right (as PyTorch does); `"valid"` pads nothing.
 *
 * @example
 * ```ts
 * convPadding("same", [2, 4], [1, 1], [1, 1]);   // [0, 1, 1, 2]
 * convPadding(1, [3, 3], [1, 1], [2, 2]);        // [1, 1, 1, 1]
 * ```
 */
export function convPadding(padding: Conv2dPadding, kernel: readonly [number, number], dilation: readonly [number, number], stride: readonly [number, number]): [number, number, number, number] {
  if (padding === "valid") return [0, 0, 0, 0];
  if (padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) throw new ValueError(`Conv2d: padding "same" needs stride 1 (as in PyTorch), got stride [${stride.join(", ")}]`);
    const total = [0, 1].map((i) => dilation[i] * (kernel[i] - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return [before[0], before[1], total[0] - before[0], total[1] - before[1]];
  }
  const [h, w] = pairOf("Conv2d", "padding", padding, 0);
  return [h, w, h, w];
}

/**
 * 2-D convolution (cross-correlation) of NCHW images; corresponds to
 * PyTorch's `torch.nn.Conv2d`. Parameters `weight`
 * `[outChannels, inChannels / groups, kH, kW]` and `bias` `[outChannels]`,
 * initialized as PyTorch does (Kaiming-uniform with a = sqrt(5), fan-in
 * `inChannels / groups * kH * kW`; bias uniform on `±1/sqrt(fanIn)`).
 *
 * @example
 * ```ts
 * const conv = new Conv2d(3, 16, 3, { padding: "same", generator: new Generator(0) });
 * conv.namedParameters().map(([n, p]) => [n, p.shape]);   // [["weight", [16, 3, 3, 3]], ["bias", [16]]]
 * ```
 */
export class Conv2d extends Module {
  readonly kind = "Conv2d";
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  /** The padding as given (`"same"`, `"valid"` or numbers). */
  readonly padding: Conv2dPadding;
  /** The padding as `[top, left, bottom, right]`. */
  readonly explicitPadding: [number, number, number, number];
  readonly hasBias: boolean;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, generator = defaultGenerator, dtype = "float32" } = options;
    assertPositiveInteger("Conv2d", "inChannels", inChannels);
    assertPositiveInteger("Conv2d", "outChannels", outChannels);
    assertPositiveInteger("Conv2d", "groups", groups);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ValueError(`Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${groups})`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pairOf("Conv2d", "kernelSize", kernelSize, 1);
    this.stride = pairOf("Conv2d", "stride", stride, 1);
    this.dilation = pairOf("Conv2d", "dilation", dilation, 1);
    this.groups = groups;
    this.padding = padding;
    this.explicitPadding = convPadding(padding, this.kernelSize, this.dilation, this.stride);
    this.hasBias = bias;
    const fanIn = (inChannels / groups) * this.kernelSize[0] * this.kernelSize[1];
    this.registerParameter("weight", kaimingUniform(generator, [outChannels, inChannels / groups, ...this.kernelSize], { fanIn, a: Math.sqrt(5), dtype }));
    if (bias) this.registerParameter("bias", defaultBias(generator, [outChannels], fanIn, dtype));
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const expected = `[N, ${this.inChannels}, H, W]`;
    assertLayerInput(ctx, this, x, { rank: 4, dtype: this.ownParameter("weight").dtype as FloatDType, expected });
    assertExtent(ctx, this, x, 1, this.inChannels, expected);
    const input = ctx.layerInput(this, x);
    let y = conv2d(input, ctx.parameter("weight"), { stride: this.stride, padding: this.explicitPadding, dilation: this.dilation, groups: this.groups });
    if (this.hasBias) y = add(y, reshape(ctx.parameter("bias"), [this.outChannels, 1, 1]));
    return ctx.layer(this, input, y);
  }

  override toString(): string {
    const padding = typeof this.padding === "string" ? `"${this.padding}"` : JSON.stringify(this.padding);
    return `Conv2d(${this.inChannels}, ${this.outChannels}, kernel_size=[${this.kernelSize}], stride=[${this.stride}], padding=${padding}, dilation=[${this.dilation}], groups=${this.groups}, bias=${this.hasBias})`;
  }
}
