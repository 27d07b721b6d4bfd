/**
 * Second order: Hessian-vector products by forward-over-reverse (a JVP of
 * the gradient), which costs a small multiple of one gradient.
 */
import type { Value } from "../core/value.js";
import { grad } from "./vjp.js";
import { jvp } from "./jvp.js";

/**
 * `H v` for scalar `f` at `primals`: the Hessian (with respect to all
 * primals jointly) applied to `vectors` (one per primal, same shapes).
 * Forward-over-reverse: the JVP of the gradient along `vectors`.
 *
 * @example
 * ```ts
 * const [hv] = hvp(([w]) => loss(w), [w], [v]);
 * ```
 */
export function hvp(f: (primals: Value[]) => Value, primals: readonly Value[], vectors: readonly Value[]): Value[] {
  return jvp((p) => grad(f)(p), primals, vectors)[1];
}
