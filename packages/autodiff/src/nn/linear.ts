import type { FloatDType } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { matmul, swapLastAxes } from "../primitives/matmul.js";
import { reshape } from "../primitives/reshape.js";
import type { ForwardContext } from "./forward-context.js";
import { defaultBias, defaultGenerator, kaimingUniform } from "./init.js";
import { assertExtent, assertLayerInput, assertPositiveInteger, type ParameterOptions } from "./layer-options.js";
import { Module } from "./module.js";

/** Options of {@link Linear}. */
export interface LinearOptions extends ParameterOptions {
  /** Whether the layer adds a learned bias; default true. */
  readonly bias?: boolean;
}

/**
 * An affine map of the last axis, `y = x W^T + b`; corresponds to PyTorch's
 * `torch.nn.Linear`. Parameters `weight` `[outFeatures, inFeatures]` and
 * `bias` `[outFeatures]`, initialized as PyTorch does: Kaiming-uniform
 * (a = sqrt(5)) weights and biases uniform on `±1/sqrt(inFeatures)`.
 * Inputs are `[..., inFeatures]`; leading axes share the weights.
 *
 * @example
 * ```ts
 * const layer = new Linear(7, 5, { generator: new Generator(0), dtype: "float64" });
 * layer.namedParameters().map(([n, p]) => [n, p.shape]);   // [["weight", [5, 7]], ["bias", [5]]]
 * ```
 */
export class Linear extends Module {
  readonly kind = "Linear";
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly hasBias: boolean;

  constructor(inFeatures: number, outFeatures: number, { bias = true, generator = defaultGenerator, dtype = "float32" }: LinearOptions = {}) {
    super();
    assertPositiveInteger("Linear", "inFeatures", inFeatures);
    assertPositiveInteger("Linear", "outFeatures", outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.hasBias = bias;
    // PyTorch draws the weight first, then the bias.
    this.registerParameter("weight", kaimingUniform(generator, [outFeatures, inFeatures], { fanIn: inFeatures, a: Math.sqrt(5), dtype }));
    if (bias) this.registerParameter("bias", defaultBias(generator, [outFeatures], inFeatures, dtype));
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const expected = `[..., ${this.inFeatures}]`;
    assertLayerInput(ctx, this, x, { minRank: 1, dtype: this.ownParameter("weight").dtype as FloatDType, expected });
    assertExtent(ctx, this, x, -1, this.inFeatures, expected);
    const input = ctx.layerInput(this, x);
    // A vector is a one-row matrix to matmul.
    const rows = x.rank === 1 ? reshape(input, [1, this.inFeatures]) : input;
    let y = matmul(rows, swapLastAxes(ctx.parameter("weight")));
    if (this.hasBias) y = add(y, ctx.parameter("bias"));
    if (x.rank === 1) y = reshape(y, [this.outFeatures]);
    return ctx.layer(this, input, y);
  }

  override toString(): string {
    return `Linear(in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.hasBias})`;
  }
}
