import { formatShape, ShapeError, tensor, ValueError, zeros, type FloatDType, type Tensor } from "@curv/tensor";
import { softmax } from "../composites/softmax.js";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { div } from "../primitives/div.js";
import { matmul, swapLastAxes } from "../primitives/matmul.js";
import { reshape } from "../primitives/reshape.js";
import { slice } from "../primitives/slice.js";
import { transpose } from "../primitives/transpose.js";
import type { ForwardContext } from "./forward-context.js";
import { defaultGenerator } from "./init.js";
import { assertLayerInput, assertPositiveInteger, type ParameterOptions } from "./layer-options.js";
import { Linear } from "./linear.js";
import { Module } from "./module.js";

/** Options of {@link MultiheadAttention} (PyTorch's keyword arguments, and the masks its forward takes). */
export interface MultiheadAttentionOptions extends ParameterOptions {
  /** Whether inputs are `[batch, sequence, embed]` (true) or `[sequence, batch, embed]` (false, PyTorch's default). */
  readonly batchFirst?: boolean;
  /** Whether the projections have biases; default true. */
  readonly bias?: boolean;
  /**
   * PyTorch's `attn_mask`, fixed for the model: `[T, T]` bool (true = may not
   * attend) or float (added to the scores). Default none.
   */
  readonly attnMask?: Tensor;
  /** A causal mask (position t attends to positions <= t), as `is_causal=True`; default false. */
  readonly isCausal?: boolean;
}

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al. 2017);
 * corresponds to PyTorch's `torch.nn.MultiheadAttention` called as
 * `attn(x, x, x, need_weights=False)` with equal query, key and value
 * widths. Parameters as PyTorch names and lays them out: `in_proj_weight`
 * `[3 E, E]` (the query, key and value projections stacked in that order),
 * `in_proj_bias` `[3 E]`, and the output projection `out_proj` (a
 * {@link Linear}); initialized as PyTorch does (Xavier-uniform `in_proj_weight`,
 * zero biases). `dropout` on the attention weights is not supported (it is
 * 0.0 in inference anyway); a `key_padding_mask` per batch is not supported.
 *
 * @example
 * ```ts
 * const attention = new MultiheadAttention(8, 2, { batchFirst: true, isCausal: true, dtype: "float64" });
 * attention.namedParameters().map(([n]) => n);   // ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
 * ```
 */
export class MultiheadAttention extends Module {
  readonly kind = "MultiheadAttention";
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly batchFirst: boolean;
  readonly hasBias: boolean;
  readonly isCausal: boolean;
  readonly attnMask: Tensor | undefined;
  readonly outProj: Linear;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const { batchFirst = false, bias = true, attnMask, isCausal = false, generator = defaultGenerator, dtype = "float32" } = options;
    assertPositiveInteger("MultiheadAttention", "embedDim", embedDim);
    assertPositiveInteger("MultiheadAttention", "numHeads", numHeads);
    if (embedDim % numHeads !== 0) throw new ValueError(`MultiheadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    if (attnMask !== undefined && attnMask.ndim !== 2) throw new ShapeError(`MultiheadAttention: attnMask must be [T, T], got ${formatShape(attnMask.shape)}`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.batchFirst = batchFirst;
    this.hasBias = bias;
    this.isCausal = isCausal;
    this.attnMask = attnMask;
    // Xavier-uniform over the stacked [3E, E] matrix, as PyTorch's _reset_parameters.
    const bound = Math.sqrt(6 / (embedDim + 3 * embedDim));
    this.registerParameter("in_proj_weight", generator.uniform([3 * embedDim, embedDim], { low: -bound, high: bound, dtype }));
    if (bias) this.registerParameter("in_proj_bias", zeros([3 * embedDim], dtype));
    this.outProj = new Linear(embedDim, embedDim, { bias, generator, dtype });
    if (bias) this.outProj.loadStateDict({ weight: this.outProj.stateDict().weight, bias: zeros([embedDim], dtype) });
    this.registerModule("out_proj", this.outProj);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const dtype = this.ownParameter("in_proj_weight").dtype as FloatDType;
    const expected = this.batchFirst ? `[batch, T, ${this.embedDim}]` : `[T, batch, ${this.embedDim}]`;
    assertLayerInput(ctx, this, x, { rank: 3, dtype, expected });
    if (x.shape[2] !== this.embedDim) throw new ShapeError(`${ctx.describe(this)}: expected input ${expected}, got ${x.dtype} ${formatShape(x.shape)}`);
    const input = this.batchFirst ? x : transpose(x, [1, 0, 2]);
    const [batch, length] = input.shape;
    if (typeof length !== "number") throw new ShapeError(`${ctx.describe(this)}: the sequence length must be static, got "${length}"`);
    const E = this.embedDim;
    let projected = matmul(input, swapLastAxes(ctx.parameter("in_proj_weight")));
    if (this.hasBias) projected = add(projected, ctx.parameter("in_proj_bias"));
    // [batch, T, E] -> [batch, heads, T, headDim]
    const heads = (part: number) => transpose(reshape(slice(projected, [[2, part * E, (part + 1) * E]]), [batch, length, this.numHeads, this.headDim]), [0, 2, 1, 3]);
    const [q, k, v] = [heads(0), heads(1), heads(2)];
    let scores = matmul(div(q, Math.sqrt(this.headDim)), swapLastAxes(k));
    const mask = this.additiveMask(length, dtype, ctx);
    if (mask !== undefined) scores = add(scores, mask);
    const attended = matmul(softmax(scores, 3), v);
    const merged = reshape(transpose(attended, [0, 2, 1, 3]), [batch, length, E]);
    const output = this.outProj.forward(merged, ctx.child("out_proj"));
    return this.batchFirst ? output : transpose(output, [1, 0, 2]);
  }

  /** The mask added to the scores `[T, T]`: -inf where attention is not allowed (PyTorch's bool masks and is_causal), or the float mask. */
  private additiveMask(length: number, dtype: FloatDType, ctx: ForwardContext): Value | undefined {
    if (!this.isCausal && this.attnMask === undefined) return undefined;
    const values = new Array<number>(length * length).fill(0);
    const given = this.attnMask;
    if (given !== undefined) {
      if (given.shape[0] !== length || given.shape[1] !== length) {
        throw new ShapeError(`${ctx.describe(this)}: attnMask is ${formatShape(given.shape)} but the sequence has ${length} positions`);
      }
      const entries = Array.from(given.data as ArrayLike<number | boolean>, Number);
      entries.forEach((m, i) => (values[i] = given.dtype === "bool" ? (m !== 0 ? -Infinity : 0) : m));
    }
    if (this.isCausal) for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) values[i * length + j] = -Infinity;
    return literal(tensor(values, { dtype, shape: [length, length] }));
  }

  override toString(): string {
    return `MultiheadAttention(embed_dim=${this.embedDim}, num_heads=${this.numHeads}, batch_first=${this.batchFirst})`;
  }
}
