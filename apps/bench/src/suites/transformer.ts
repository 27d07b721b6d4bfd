import {
  compileProgram, Linear, mean, Module, Sequential, TransformerEncoderLayer, type ForwardContext, type Value,
} from "@curv/autodiff";
import { Generator, Tensor } from "@curv/tensor";
import type { BenchCase, BenchSuite } from "../suite.js";
import { productProgram, type Product } from "./autodiff.js";

// Issue 12's benchmark: gradient, Hessian-vector product and GGN-vector
// product of mean cross-entropy for a Transformer encoder (d = 128, 4 heads,
// feed-forward 512, 2 layers, dropout 0, batch_first), the mean over 64
// tokens and Linear(128, 10), batch 32, float32, on ORT CPU with 2 threads.
// Each program is traced, transformed and compiled once in prepare().
// `pytorch_ms`: scripts/transformer_pytorch.py (PyTorch 1.13, 2 threads) on
// the machine the numbers in the README were measured on.


// Measured 2026-12-08 on the 2-core reference machine (shared with other work, so noisy); the GGN-vector product there uses
// the double-vjp trick (PyTorch 1.13 has no forward mode for these layers), which is why it is slow.
const PYTORCH_MS: Readonly<Record<Product, number>> = { gradient: 215.4, hvp: 614.1, ggnvp: 2547.8 };
const BATCH = 32;
const TOKENS = 64;
const WIDTH = 128;
const CLASSES = 10;

/** Two encoder layers, the mean over tokens, a linear head: `named_parameters()` as PyTorch's `TransformerEncoder` + `Linear`. */
class EncoderClassifier extends Module {
  readonly kind = "EncoderClassifier";
  private readonly layers: Sequential;
  private readonly head: Linear;

  constructor(generator: Generator) {
    super();
    const layer = () => new TransformerEncoderLayer(WIDTH, 4, { dimFeedforward: 4 * WIDTH, dropout: 0, batchFirst: true, generator });
    this.layers = new Sequential(layer(), layer());
    this.head = new Linear(WIDTH, CLASSES, { generator });
    this.registerModule("layers", this.layers);
    this.registerModule("head", this.head);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const h = this.layers.forward(x, ctx.child("layers"));
    return this.head.forward(mean(h, [1]), ctx.child("head"));
  }
}

function benchCase(product: Product): BenchCase {
  return {
    name: `encoder ${product} ort`,
    n: BATCH,
    iterations: 5,
    extra: { model: "encoder d128 h4 L2 T64", product, runtime: "ort", dtype: "float32", threads: 2, batch: BATCH, pytorch_ms: PYTORCH_MS[product] },
    prepare: async () => {
      const generator = new Generator(0);
      const model = new EncoderClassifier(generator);
      const compiled = await compileProgram(productProgram(model, { name: "transformer", features: [TOKENS, WIDTH] }, product), { runtime: "ort", threads: 2 });
      const labels = BigInt64Array.from({ length: BATCH }, (_, i) => BigInt(i % CLASSES));
      const feeds: Record<string, Tensor> = { x: generator.normal([BATCH, TOKENS, WIDTH]), y: new Tensor("int64", [BATCH], labels), ...Object.fromEntries(model.namedParameters()) };
      if (product !== "gradient") model.parameters().forEach((p, i) => (feeds[`v${i}`] = generator.normal([...p.shape])));
      return () => compiled.run(feeds);
    },
  };
}

/** Gradient, HVP and GGN-vector product of a 2-layer Transformer encoder classifier on ORT CPU (2 threads), float32. */
export const transformerSuite: BenchSuite = {
  name: "transformer",
  description: "gradient, HVP and GGN-vector product (float32, cross-entropy) of a Transformer encoder d=128, 4 heads, 2 layers, 64 tokens, batch 32, on ORT CPU (2 threads)",
  cases: () => (["gradient", "hvp", "ggnvp"] as const).map(benchCase),
};
