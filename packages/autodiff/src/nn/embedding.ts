import { DTypeError, ValueError, type FloatDType, type Tensor } from "@curv/tensor";
import { matmul } from "../primitives/matmul.js";
import { oneHot } from "../primitives/one-hot.js";
import type { Value } from "../core/value.js";
import type { ForwardContext } from "./forward-context.js";
import { defaultGenerator } from "./init.js";
import { assertPositiveInteger, type ParameterOptions } from "./layer-options.js";
import { Module } from "./module.js";

/**
 * A lookup table of `numEmbeddings` vectors of `embeddingDim` entries, read
 * by integer ids; corresponds to PyTorch's `torch.nn.Embedding` (no
 * `padding_idx`, `max_norm` or sparse gradients). Parameter `weight`
 * `[numEmbeddings, embeddingDim]`, initialized N(0, 1) as PyTorch does.
 * Inputs are int64 or int32 ids of any shape; the output appends
 * `embeddingDim`. Ids are data: they get no derivative, and
 * {@link Embedding.checkData} rejects ids outside `[0, numEmbeddings)`.
 *
 * @example
 * ```ts
 * const embed = new Embedding(11, 8, { dtype: "float64" });
 * const model = new Sequential(embed, new Flatten(), new Linear(40, 3, { dtype: "float64" }));
 * traceModel(model, { dtype: "int64", shape: ["batch", 5] });
 * ```
 */
export class Embedding extends Module {
  readonly kind = "Embedding";
  readonly numEmbeddings: number;
  readonly embeddingDim: number;

  constructor(numEmbeddings: number, embeddingDim: number, { generator = defaultGenerator, dtype = "float32" }: ParameterOptions = {}) {
    super();
    assertPositiveInteger("Embedding", "numEmbeddings", numEmbeddings);
    assertPositiveInteger("Embedding", "embeddingDim", embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.registerParameter("weight", generator.normal([numEmbeddings, embeddingDim], { dtype }));
  }

  forward(x: Value, ctx: ForwardContext): Value {
    if (x.dtype !== "int64" && x.dtype !== "int32") throw new DTypeError(`${ctx.describe(this)}: expected int64 or int32 ids, got ${x.dtype}`);
    // oneHot(ids) @ weight (embeddingLookup), with the one-hot rows as the layer's input: KFAC's A is their second moment (token counts).
    const weight = ctx.parameter("weight");
    const rows = ctx.layerInput(this, oneHot(x, this.numEmbeddings, weight.dtype));
    return ctx.layer(this, rows, matmul(rows, weight));
  }

  /** Rejects float data and ids outside `[0, numEmbeddings)`, naming the largest (or smallest) id. */
  override checkData(data: Tensor, name = "X"): void {
    if (data.dtype !== "int64" && data.dtype !== "int32") throw new DTypeError(`${name}: an Embedding reads int64 or int32 ids, got ${data.dtype} data`);
    let largest = -Infinity;
    let smallest = Infinity;
    for (const id of data.data as Iterable<number | bigint>) {
      largest = Math.max(largest, Number(id));
      smallest = Math.min(smallest, Number(id));
    }
    if (largest >= this.numEmbeddings) {
      throw new ValueError(`${name}: token id ${largest} is out of range for Embedding(${this.numEmbeddings}, ${this.embeddingDim}) (ids 0 to ${this.numEmbeddings - 1}); the largest id is ${largest}`);
    }
    if (smallest < 0) throw new ValueError(`${name}: the negative token id ${smallest}; Embedding(${this.numEmbeddings}, ${this.embeddingDim}) takes ids 0 to ${this.numEmbeddings - 1}`);
  }

  /** The parameters' dtype. */
  get dtype(): FloatDType {
    return this.ownParameter("weight").dtype as FloatDType;
  }

  override toString(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }
}
