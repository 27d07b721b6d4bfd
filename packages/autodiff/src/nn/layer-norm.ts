import { formatShape, ones, ShapeError, ValueError, zeros, type FloatDType } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { mul } from "../primitives/mul.js";
import type { ForwardContext } from "./forward-context.js";
import { assertLayerInput, assertPositiveInteger } from "./layer-options.js";
import { Module } from "./module.js";
import { standardize } from "./normalize.js";

/** Options of {@link LayerNorm} (PyTorch's keyword arguments). */
export interface LayerNormOptions {
  /** Added to the variance; default 1e-5. */
  readonly eps?: number;
  /** Whether there is a learned scale `weight` (ones) and shift `bias` (zeros); default true. */
  readonly elementwiseAffine?: boolean;
  /** Whether the affine part has a shift; default true. */
  readonly bias?: boolean;
  /** The parameters' dtype; default `"float32"`. */
  readonly dtype?: FloatDType;
}

/**
 * Normalizes each example over its last axes (`normalizedShape`) with their
 * mean and biased variance, then scales and shifts elementwise; corresponds
 * to PyTorch's `torch.nn.LayerNorm`. Parameters `weight` and `bias` of
 * shape `normalizedShape`.
 *
 * @example
 * ```ts
 * const norm = new LayerNorm(64);                 // over the last axis of [batch, tokens, 64]
 * const norm2 = new LayerNorm([8, 4, 4]);          // over C, H, W of [batch, 8, 4, 4]
 * ```
 */
export class LayerNorm extends Module {
  readonly kind = "LayerNorm";
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly hasBias: boolean;

  constructor(normalizedShape: number | readonly number[], { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = "float32" }: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) throw new ValueError("LayerNorm: normalizedShape must have at least one extent");
    for (const d of shape) assertPositiveInteger("LayerNorm", "normalizedShape", d);
    if (!(eps >= 0)) throw new ValueError(`LayerNorm: eps must be non-negative, got ${eps}`);
    this.normalizedShape = shape;
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.hasBias = elementwiseAffine && bias;
    if (elementwiseAffine) this.registerParameter("weight", ones(shape, dtype));
    if (this.hasBias) this.registerParameter("bias", zeros(shape, dtype));
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const k = this.normalizedShape.length;
    const expected = `[..., ${this.normalizedShape.join(", ")}]`;
    assertLayerInput(ctx, this, x, { minRank: k, dtype: this.elementwiseAffine ? this.ownParameter("weight").dtype : undefined, expected });
    if (x.shape.slice(-k).some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(`${ctx.describe(this)}: expected input ${expected}, got ${x.dtype} ${formatShape(x.shape)}`);
    }
    const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
    const input = this.elementwiseAffine ? ctx.layerInput(this, x) : x;
    const normalized = standardize(input, axes, this.eps);
    if (!this.elementwiseAffine) return normalized;
    let y = mul(normalized, ctx.parameter("weight"));
    if (this.hasBias) y = add(y, ctx.parameter("bias"));
    return ctx.layer(this, input, y);
  }

  override toString(): string {
    return `LayerNorm([${this.normalizedShape}], eps=${this.eps}, elementwise_affine=${this.elementwiseAffine})`;
  }
}
