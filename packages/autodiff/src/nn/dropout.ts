import { Tensor, ValueError, type FloatDType, type Generator } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { mul } from "../primitives/mul.js";
import type { ForwardContext } from "./forward-context.js";
import { Module } from "./module.js";

/**
 * In training mode, zeroes each entry with probability `p` and scales the
 * rest by `1 / (1 - p)`; in evaluation mode, the identity. Corresponds to
 * PyTorch's `torch.nn.Dropout`.
 *
 * The mask is drawn on the host from the generator given when the program
 * is fed (an input named `"<layer>.mask"`), so a seed gives the same masks
 * on every runtime. A model with dropout in training mode is not
 * deterministic ({@link Module.isDeterministic} is false), which curvature
 * operators check before treating the model as one fixed function.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.25), new Linear(8, 1));
 * model.isDeterministic;          // false: training mode
 * model.eval().isDeterministic;   // true
 * ```
 */
export class Dropout extends Module {
  readonly kind = "Dropout";
  readonly p: number;

  constructor(p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Dropout: p must be a probability in [0, 1], got ${p}`);
    this.p = p;
  }

  override get isDeterministic(): boolean {
    return !this.training || this.p === 0;
  }

  forward(x: Value, ctx: ForwardContext): Value {
    if (this.isDeterministic) return x;
    const p = this.p;
    const mask = ctx.random("mask", { dtype: x.dtype, shape: x.shape, draw: (generator, shape) => dropoutMask(generator, shape, p, x.dtype as FloatDType) });
    return mul(x, mask);
  }

  override toString(): string {
    return `Dropout(p=${this.p})`;
  }
}

/**
 * A dropout mask: entries `1 / (1 - p)` with probability `1 - p`, else 0
 * (all zeros when `p = 1`, as PyTorch), one uniform draw per entry.
 *
 * @example
 * ```ts
 * const mask = dropoutMask(new Generator(0), [4, 8], 0.25, "float32");   // entries 0 or 4/3
 * ```
 */
export function dropoutMask(generator: Generator, shape: readonly number[], p: number, dtype: FloatDType): Tensor {
  const mask = new Tensor(dtype, shape);
  const data = mask.data as Float32Array | Float64Array;
  const keep = 1 - p;
  for (let i = 0; i < data.length; i++) data[i] = generator.nextDouble() < keep ? 1 / keep : 0;
  return mask;
}
