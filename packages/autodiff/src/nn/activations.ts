/**
 * Layers without parameters: PyTorch's `ReLU`, `Sigmoid`, `Tanh`, `GELU`,
 * `Softmax` and `Identity`.
 */
import { ValueError } from "@curv/tensor";
import { gelu, type GeluApproximation } from "../composites/gelu.js";
import { relu } from "../composites/relu.js";
import { softmax } from "../composites/softmax.js";
import { tanh } from "../composites/tanh.js";
import type { Value } from "../core/value.js";
import { sigmoid } from "../primitives/sigmoid.js";
import { Module } from "./module.js";

/**
 * `max(x, 0)` elementwise; corresponds to PyTorch's `torch.nn.ReLU`.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 1));
 * ```
 */
export class ReLU extends Module {
  readonly kind = "ReLU";
  forward(x: Value): Value {
    return relu(x);
  }
}

/**
 * `1 / (1 + exp(-x))` elementwise; corresponds to PyTorch's `torch.nn.Sigmoid`.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 8), new Sigmoid(), new Linear(8, 1));
 * ```
 */
export class Sigmoid extends Module {
  readonly kind = "Sigmoid";
  forward(x: Value): Value {
    return sigmoid(x);
  }
}

/**
 * `tanh(x)` elementwise; corresponds to PyTorch's `torch.nn.Tanh`.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 1));
 * ```
 */
export class Tanh extends Module {
  readonly kind = "Tanh";
  forward(x: Value): Value {
    return tanh(x);
  }
}

/**
 * Returns its input; corresponds to PyTorch's `torch.nn.Identity` (a
 * placeholder where a layer is optional).
 *
 * @example
 * ```ts
 * const head = useHead ? new Linear(8, 2) : new Identity();
 * ```
 */
export class Identity extends Module {
  readonly kind = "Identity";
  forward(x: Value): Value {
    return x;
  }
}

/**
 * The Gaussian error linear unit, exact (`approximate: "none"`) or by the
 * tanh formula; corresponds to PyTorch's `torch.nn.GELU`.
 *
 * @example
 * ```ts
 * const mlp = new Sequential(new Linear(8, 32), new GELU(), new Linear(32, 8));
 * const gpt2 = new GELU("tanh");
 * ```
 */
export class GELU extends Module {
  readonly kind = "GELU";
  readonly approximate: GeluApproximation;

  constructor(approximate: GeluApproximation = "none") {
    super();
    if (approximate !== "none" && approximate !== "tanh") throw new ValueError(`GELU: approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
    this.approximate = approximate;
  }

  forward(x: Value): Value {
    return gelu(x, this.approximate);
  }

  override toString(): string {
    return `GELU(approximate='${this.approximate}')`;
  }
}

/**
 * `exp(x) / sum(exp(x))` along `dim`; corresponds to PyTorch's `torch.nn.Softmax`.
 *
 * @example
 * ```ts
 * const probabilities = new Sequential(new Linear(8, 3), new Softmax(-1));
 * ```
 */
export class Softmax extends Module {
  readonly kind = "Softmax";
  readonly dim: number;

  constructor(dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new ValueError(`Softmax: dim must be an integer, got ${dim}`);
    this.dim = dim;
  }

  forward(x: Value): Value {
    const axis = this.dim < 0 ? this.dim + x.rank : this.dim;
    if (axis < 0 || axis >= x.rank) throw new ValueError(`Softmax: dim ${this.dim} is out of range for an input of rank ${x.rank}`);
    return softmax(x, axis);
  }

  override toString(): string {
    return `Softmax(dim=${this.dim})`;
  }
}
