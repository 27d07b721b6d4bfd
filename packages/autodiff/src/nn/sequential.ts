import { ValueError, type Tensor } from "@curv/tensor";
import type { Value } from "../core/value.js";
import type { ForwardContext } from "./forward-context.js";
import { Module } from "./module.js";

/**
 * Applies its children in order, naming them `"0"`, `"1"`, ... (so their
 * parameters are `"0.weight"`, `"0.bias"`, ...); corresponds to PyTorch's
 * `torch.nn.Sequential`.
 *
 * @example
 * ```ts
 * const generator = new Generator(0);
 * const model = new Sequential(
 *   new Linear(7, 5, { generator }), new ReLU(),
 *   new Linear(5, 5, { generator }), new Sigmoid(),
 *   new Linear(5, 3, { generator }),
 * );
 * model.namedParameters().map(([name]) => name);
 * // ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
 * ```
 */
export class Sequential extends Module {
  readonly kind = "Sequential";

  constructor(...modules: Module[]) {
    super();
    modules.forEach((module, i) => this.registerModule(String(i), module));
  }

  /** The number of children. */
  get length(): number {
    return this.children().length;
  }

  /** The child at `index` (negative counts from the end). */
  at(index: number): Module {
    const children = this.children();
    const child = children.at(index);
    if (child === undefined || !Number.isInteger(index)) throw new ValueError(`Sequential.at: index ${index} is out of range for ${children.length} children`);
    return child;
  }

  /** The data is its first layer's input: that layer checks it (token ids for an Embedding). */
  override checkData(data: Tensor, name = "X"): void {
    this.children()[0]?.checkData(data, name);
  }

  forward(x: Value, ctx: ForwardContext): Value {
    return this.namedChildren().reduce((h, [name, child]) => child.forward(h, ctx.child(name)), x);
  }

  override toString(): string {
    return `Sequential(\n${this.namedChildren().map(([name, child]) => `  (${name}): ${String(child)}`).join("\n")}\n)`;
  }
}
