import { ValueError, type Tensor } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { GELU, ReLU } from "./activations.js";
import { Dropout } from "./dropout.js";
import type { ForwardContext } from "./forward-context.js";
import { defaultGenerator } from "./init.js";
import { LayerNorm } from "./layer-norm.js";
import type { ParameterOptions } from "./layer-options.js";
import { Linear } from "./linear.js";
import { Module } from "./module.js";
import { MultiheadAttention } from "./multihead-attention.js";

/** Options of {@link TransformerEncoderLayer} (PyTorch's keyword arguments). */
export interface TransformerEncoderLayerOptions extends ParameterOptions {
  /** The feed-forward width; default 2048. */
  readonly dimFeedforward?: number;
  /** Dropout probability (a {@link Dropout} after attention, inside and after the feed-forward block); default 0.1. */
  readonly dropout?: number;
  /** The feed-forward activation; default "relu". */
  readonly activation?: "relu" | "gelu";
  /** LayerNorm's epsilon; default 1e-5. */
  readonly layerNormEps?: number;
  /** `[batch, T, dModel]` inputs (true) or `[T, batch, dModel]` (false, PyTorch's default). */
  readonly batchFirst?: boolean;
  /** Pre-norm (`x + f(norm(x))`, true) or post-norm (`norm(x + f(x))`, false, the default). */
  readonly normFirst?: boolean;
  /** The self-attention's mask (see {@link MultiheadAttention}). */
  readonly attnMask?: Tensor;
  readonly isCausal?: boolean;
}

/**
 * Self-attention and a feed-forward block, each with a residual connection
 * and a LayerNorm; corresponds to PyTorch's `torch.nn.TransformerEncoderLayer`
 * (its names and order: `self_attn`, `linear1`, `dropout`, `linear2`,
 * `norm1`, `norm2`, `dropout1`, `dropout2`, so a PyTorch state dict loads
 * as is). The feed-forward block is `linear2(dropout(activation(linear1(x))))`.
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 12, dropout: 0, batchFirst: true, dtype: "float64" });
 * layer.namedParameters().map(([n]) => n);   // ["self_attn.in_proj_weight", ..., "norm2.bias"]
 * ```
 */
export class TransformerEncoderLayer extends Module {
  readonly kind = "TransformerEncoderLayer";
  readonly normFirst: boolean;
  readonly activation: "relu" | "gelu";
  private readonly selfAttn: MultiheadAttention;
  private readonly linear1: Linear;
  private readonly dropout: Dropout;
  private readonly linear2: Linear;
  private readonly norm1: LayerNorm;
  private readonly norm2: LayerNorm;
  private readonly dropout1: Dropout;
  private readonly dropout2: Dropout;
  private readonly act: Module;

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    const {
      dimFeedforward = 2048, dropout = 0.1, activation = "relu", layerNormEps = 1e-5, batchFirst = false, normFirst = false,
      attnMask, isCausal, generator = defaultGenerator, dtype = "float32",
    } = options;
    if (activation !== "relu" && activation !== "gelu") throw new ValueError(`TransformerEncoderLayer: activation must be "relu" or "gelu", got ${JSON.stringify(activation)}`);
    this.normFirst = normFirst;
    this.activation = activation;
    this.selfAttn = new MultiheadAttention(dModel, nhead, { batchFirst, attnMask, isCausal, generator, dtype });
    this.linear1 = new Linear(dModel, dimFeedforward, { generator, dtype });
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel, { generator, dtype });
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps, dtype });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.act = activation === "gelu" ? new GELU() : new ReLU();
    const children: [string, Module][] = [
      ["self_attn", this.selfAttn], ["linear1", this.linear1], ["dropout", this.dropout], ["linear2", this.linear2],
      ["norm1", this.norm1], ["norm2", this.norm2], ["dropout1", this.dropout1], ["dropout2", this.dropout2],
    ];
    for (const [name, child] of children) this.registerModule(name, child);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const call = (name: string, module: Module, h: Value) => module.forward(h, ctx.child(name));
    const attention = (h: Value) => call("dropout1", this.dropout1, call("self_attn", this.selfAttn, h));
    const feedForward = (h: Value) => call("dropout2", this.dropout2, call("linear2", this.linear2, call("dropout", this.dropout, this.act.forward(call("linear1", this.linear1, h), ctx))));
    if (this.normFirst) {
      const h = add(x, attention(call("norm1", this.norm1, x)));
      return add(h, feedForward(call("norm2", this.norm2, h)));
    }
    const h = call("norm1", this.norm1, add(x, attention(x)));
    return call("norm2", this.norm2, add(h, feedForward(h)));
  }

  override toString(): string {
    return `TransformerEncoderLayer(norm_first=${this.normFirst}, activation=${this.activation})`;
  }
}
