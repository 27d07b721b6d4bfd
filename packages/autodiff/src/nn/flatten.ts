import { formatShape, multiplyDims, ShapeError, ValueError } from "@curv/tensor";
import type { Value } from "../core/value.js";
import { reshape } from "../primitives/reshape.js";
import type { ForwardContext } from "./forward-context.js";
import { Module } from "./module.js";

/**
 * Merges the axes `startDim..endDim` into one (row-major, so the order of
 * entries is PyTorch's); corresponds to PyTorch's `torch.nn.Flatten`
 * (default `startDim = 1`, `endDim = -1`: everything but the batch axis).
 *
 * @example
 * ```ts
 * // [batch, 32, 8, 8] -> [batch, 2048]
 * const model = new Sequential(new Conv2d(3, 32, 3, { stride: 4, padding: 1 }), new Flatten(), new Linear(2048, 10));
 * ```
 */
export class Flatten extends Module {
  readonly kind = "Flatten";
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim)) throw new ValueError(`Flatten: startDim and endDim must be integers, got ${startDim} and ${endDim}`);
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(x: Value, ctx: ForwardContext): Value {
    const start = this.startDim < 0 ? this.startDim + x.rank : this.startDim;
    const end = this.endDim < 0 ? this.endDim + x.rank : this.endDim;
    if (start < 0 || end >= x.rank || start > end) {
      throw new ShapeError(`${ctx.describe(this)}: cannot flatten axes ${this.startDim}..${this.endDim} of an input ${x.dtype} ${formatShape(x.shape)}`);
    }
    const merged = multiplyDims(x.shape.slice(start, end + 1));
    return reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
  }

  override toString(): string {
    return `Flatten(start_dim=${this.startDim}, end_dim=${this.endDim})`;
  }
}
