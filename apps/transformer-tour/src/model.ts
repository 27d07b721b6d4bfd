// The tiny causal language model: token embedding plus learned positions,
// causal TransformerEncoderLayers (post-norm, GELU), a Linear head to the
// vocabulary; logits come out as [N, V, T] (class axis second, as
// CrossEntropyLoss wants, so "mean" averages over all N·T tokens).
import { add, Embedding, Linear, Module, TransformerEncoderLayer, transpose, type ForwardContext, type Value } from "@curv/autodiff";
import { Generator, type FloatDType, type Tensor } from "@curv/tensor";

/** The model's sizes. */
export interface ModelConfig {
  readonly vocabularySize: number;
  /** Tokens per input sequence (the number of learned positions). */
  readonly sequenceLength: number;
  readonly dModel: number;
  readonly heads: number;
  readonly dimFeedforward: number;
  readonly layers: number;
}

export class TinyCausalLM extends Module {
  readonly kind = "TinyCausalLM";
  readonly config: ModelConfig;
  private readonly embed: Embedding;
  private readonly blocks: TransformerEncoderLayer[];
  private readonly head: Linear;

  constructor(config: ModelConfig, options: { seed: number; dtype: FloatDType }) {
    super();
    this.config = config;
    const { vocabularySize: V, sequenceLength: T, dModel: d, heads, dimFeedforward, layers } = config;
    const generator = new Generator(options.seed);
    const { dtype } = options;
    this.registerParameter("pos", generator.normal([T, d], { std: 0.1, dtype }));
    this.embed = new Embedding(V, d, { generator, dtype });
    this.registerModule("embed", this.embed);
    this.blocks = Array.from({ length: layers }, () => new TransformerEncoderLayer(d, heads, { dimFeedforward, dropout: 0, activation: "gelu", batchFirst: true, isCausal: true, generator, dtype }));
    this.blocks.forEach((block, i) => this.registerModule(`layer${i}`, block));
    this.head = new Linear(d, V, { generator, dtype });
    this.registerModule("head", this.head);
  }

  override checkData(data: Tensor, name?: string): void {
    this.embed.checkData(data, name);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    let h = add(this.embed.forward(x, ctx.child("embed")), ctx.parameter("pos"));
    this.blocks.forEach((block, i) => (h = block.forward(h, ctx.child(`layer${i}`))));
    return transpose(this.head.forward(h, ctx.child("head")), [0, 2, 1]);
  }
}
