/**
 * The generalized Gauss-Newton product `G v = J^T H_L J v` in its three
 * pieces (Schraudolph 2002; Martens 2010): a Jacobian-vector product of the
 * model output, the loss Hessian in output space, and a vector-Jacobian
 * product back to the parameters.
 */
import type { Value } from "../core/value.js";
import { hvp } from "./hvp.js";
import { jvp } from "./jvp.js";
import { vjp } from "./vjp.js";

/**
 * `H_L u`: the Hessian of `loss` with respect to the model output, at
 * `output`, applied to `u` (output-shaped). Other inputs of the loss
 * (targets) are held fixed.
 *
 * @example
 * ```ts
 * const hu = lossHessianVectorProduct((o) => mse(o, targets), output, u);
 * ```
 */
export function lossHessianVectorProduct(loss: (output: Value) => Value, output: Value, u: Value): Value {
  return hvp(([o]) => loss(o), [output], [u])[0];
}

/**
 * `G v = J^T H_L J v` for a model `model(params) -> output` and a loss of
 * the output, without forming J or G: one JVP, one output-space Hessian
 * product, one VJP. Returns one array per parameter.
 *
 * @example
 * ```ts
 * const [gw, gb] = ggnVectorProduct(([w, b]) => add(matmul(x, w), b), (o) => mse(o, y), [w, b], [vw, vb]);
 * ```
 */
export function ggnVectorProduct(
  model: (params: Value[]) => Value,
  loss: (output: Value) => Value,
  params: readonly Value[],
  vectors: readonly Value[],
): Value[] {
  const [[output], [jv]] = jvp((p) => [model(p)], params, vectors);
  const hjv = lossHessianVectorProduct(loss, output, jv);
  const [, pullback] = vjp((p) => [model(p)], params);
  return pullback([hjv]);
}
