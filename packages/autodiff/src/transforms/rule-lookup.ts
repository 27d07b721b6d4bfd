/**
 * Looking up a rule in a transformation's table, with the error every
 * transformation gives for a missing rule.
 */
import { GraphError } from "@curv/tensor";
import type { Primitive } from "../core/primitive.js";

/**
 * Thrown when a transformation meets a primitive it has no rule for; it
 * names both (`primitive`, `transformation`).
 *
 * @example
 * ```ts
 * try { grad(([u]) => reduceSum(custom(u)))([x]); }
 * catch (e) { if (e instanceof MissingRuleError) e.transformation; }   // "jvp"
 * ```
 */
export class MissingRuleError extends GraphError {
  readonly primitive: string;
  readonly transformation: string;
  constructor(primitive: string, transformation: string) {
    super(`no ${transformation} rule for primitive "${primitive}"`);
    this.primitive = primitive;
    this.transformation = transformation;
  }
}

/** The rule for `primitive` in `table`, or a {@link MissingRuleError}. */
export function lookupRule<R>(table: ReadonlyMap<Primitive, R>, primitive: Primitive, transformation: string): R {
  const rule = table.get(primitive);
  if (rule === undefined) throw new MissingRuleError(primitive.name, transformation);
  return rule;
}
