/**
 * Helpers that write a primitive's differentiation rules from its algebraic
 * structure (after JAX's `deflinear`, `defbilinear`, `defjvp`, `defjvp_zero`),
 * so each rule is a few lines.
 */
import { bind, type Params, type Primitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";
import { add } from "../primitives/add.js";
import { zerosLike } from "../primitives/broadcast-to.js";
import type { JvpRule, PrimitiveRules, TransposeRule } from "./rule-types.js";

/**
 * A linear primitive: its JVP is itself applied to the tangents (zeros
 * filled in), so only the transpose is written.
 *
 * @example
 * ```ts
 * export const negRules = { ...defLinear(negP, (cotangent) => [neg(cotangent)]), batch, lower };
 * ```
 */
export function defLinear<P extends Params>(primitive: Primitive<P>, transpose: TransposeRule<P>): Pick<PrimitiveRules<P>, "jvp" | "transpose"> {
  return {
    jvp: (primals, tangents, params) => bind(primitive, tangents.map((t, i) => t ?? zerosLike(primals[i])), params),
    transpose,
  };
}

/**
 * A bilinear primitive `f(a, b)` (product, matrix product): the JVP is
 * `f(ta, b) + f(a, tb)`, and each operand's transpose is given.
 *
 * @example
 * ```ts
 * const rules = defBilinear(mulP, (cotangent, b) => mul(cotangent, b), (cotangent, a) => mul(a, cotangent));
 * ```
 */
export function defBilinear<P extends Params>(
  primitive: Primitive<P>,
  transposeLhs: (cotangent: Value, rhs: Value, params: P, lhs: Value) => Value,
  transposeRhs: (cotangent: Value, lhs: Value, params: P, rhs: Value) => Value,
): Pick<PrimitiveRules<P>, "jvp" | "transpose"> {
  return {
    jvp([a, b], [ta, tb], params) {
      const fromA = ta === null ? null : bind(primitive, [ta, b], params);
      const fromB = tb === null ? null : bind(primitive, [a, tb], params);
      return fromA === null ? fromB : fromB === null ? fromA : add(fromA, fromB);
    },
    transpose(cotangent, [a, b], [linearA, linearB], params) {
      if (linearA && linearB) throw new Error(`${primitive.name}: both operands are linear, the product is not linear`);
      return [linearA ? transposeLhs(cotangent, b, params, a) : null, linearB ? transposeRhs(cotangent, a, params, b) : null];
    },
  };
}

/** One operand's contribution to a JVP: the tangent `t` pushed through the primitive at `primals`. */
export type JvpContribution<P extends Params> = (tangent: Value, primals: readonly Value[], params: P, output: Value) => Value;

/**
 * The JVP as a sum of per-operand contributions (`null`: the operand is not differentiable).
 *
 * @example
 * ```ts
 * const jvp = defJvp<NoParams>((t, [x]) => div(t, x));   // d log(x) = dx / x
 * ```
 */
export function defJvp<P extends Params>(...contributions: (JvpContribution<P> | null)[]): JvpRule<P> {
  return (primals, tangents, params, output) => {
    let total: Value | null = null;
    tangents.forEach((t, i) => {
      const contribution = contributions[i];
      if (t === null || contribution === null || contribution === undefined) return;
      const term = contribution(t, primals, params, output);
      total = total === null ? term : add(total, term);
    });
    return total;
  };
}

/**
 * A primitive whose derivative is zero everywhere it exists (comparisons, casts to bool, one-hot).
 *
 * @example
 * ```ts
 * export const greaterRules = { jvp: defJvpZero(), batch, lower };
 * ```
 */
export function defJvpZero<P extends Params>(): JvpRule<P> {
  return () => null;
}
