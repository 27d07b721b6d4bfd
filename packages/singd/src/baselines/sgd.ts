/**
 * Stochastic gradient descent with momentum, PyTorch's `torch.optim.SGD`
 * update rule and defaults (its single-tensor loop, `maximize=False`).
 */
import { ValueError } from "@curv/tensor";
import type { CurvatureLoss, Module } from "@curv/autodiff";
import { checkHyperparameter, FirstOrderOptimizer, type FirstOrderRunOptions, type FloatArray } from "./first-order-optimizer.js";

/** Hyper-parameters of {@link SGD}, PyTorch's names camelCased, with its defaults. */
export interface SGDOptions extends FirstOrderRunOptions {
  /** Step size; default 1e-3. */
  readonly lr?: number;
  /** Momentum factor μ; default 0 (no buffer). */
  readonly momentum?: number;
  /** Dampening τ of the momentum's new term; default 0. */
  readonly dampening?: number;
  /** L2 penalty λ added to the gradient; default 0. */
  readonly weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0); default false. */
  readonly nesterov?: boolean;
}

/**
 * SGD over every parameter of `model`; corresponds to `torch.optim.SGD`.
 * Per parameter p with gradient g, at step t (0-based):
 * `g ← g + λ p`; with momentum `b ← g` at t = 0, else `b ← μ b + (1 − τ) g`,
 * then `g ← g + μ b` (Nesterov) or `g ← b`; finally `p ← p − lr g`.
 *
 * @example
 * ```ts
 * const sgd = new SGD(model, new CrossEntropyLoss(), { lr: 0.1, momentum: 0.9 });
 * const loss = await sgd.step([X, y]);   // forward, backward and update; model.namedParameters() holds the new values
 * ```
 */
export class SGD extends FirstOrderOptimizer {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  /** Momentum buffers by parameter name (absent until a parameter's first step, or when momentum is 0). */
  readonly momentumBuffers = new Map<string, FloatArray>();

  constructor(model: Module, lossFunction: CurvatureLoss, options: SGDOptions = {}) {
    const { lr = 1e-3, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = options;
    checkHyperparameter("SGD", "lr", lr);
    checkHyperparameter("SGD", "momentum", momentum);
    checkHyperparameter("SGD", "dampening", dampening, { min: -Infinity });
    checkHyperparameter("SGD", "weightDecay", weightDecay);
    if (nesterov && (momentum <= 0 || dampening !== 0)) throw new ValueError(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${momentum} and dampening ${dampening}`);
    super(model, lossFunction, options, "SGD");
    this.lr = lr;
    this.momentum = momentum;
    this.dampening = dampening;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
  }

  protected update(name: string, p: FloatArray, g: FloatArray): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = this;
    let buffer = this.momentumBuffers.get(name);
    const first = buffer === undefined;
    if (momentum !== 0 && buffer === undefined) {
      buffer = new (p.constructor as Float64ArrayConstructor)(p.length);
      this.momentumBuffers.set(name, buffer);
    }
    for (let i = 0; i < p.length; i++) {
      let d = g[i] + weightDecay * p[i];
      if (buffer !== undefined) {
        buffer[i] = first ? d : momentum * buffer[i] + (1 - dampening) * d;
        d = nesterov ? d + momentum * buffer[i] : buffer[i];
      }
      p[i] -= lr * d;
    }
  }
}
