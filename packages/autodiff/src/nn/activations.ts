/**
 * Elementwise layers without parameters: PyTorch's `ReLU`, `Sigmoid`,
 * `Tanh` and `Identity`.
 */
import { relu } from "../composites/relu.js";
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
