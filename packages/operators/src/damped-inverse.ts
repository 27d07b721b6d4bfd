import { ValueError, type FloatDType } from "@curv/tensor";
import type { LinearOperator } from "./linear-operator.js";

/**
 * An operator with an exact damped inverse `(A + damping·I)⁻¹`, as the
 * building blocks have (curvlinops' `inverse(damping)`). Block-diagonal
 * operators are invertible block by block when every block is.
 */
export interface InvertibleLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  /**
   * `(A + damping·I)⁻¹` as an operator of the same kind where possible.
   * Throws a `LinAlgError` if `A + damping·I` is singular.
   */
  inverse(damping?: number): LinearOperator<D>;
}

/** Whether `operator` offers {@link InvertibleLinearOperator.inverse}. */
export function isInvertible<D extends FloatDType>(operator: LinearOperator<D>): operator is InvertibleLinearOperator<D> {
  return typeof (operator as Partial<InvertibleLinearOperator<D>>).inverse === "function";
}

/**
 * Checks a damping value: any finite number. Negative damping is allowed (it
 * shifts the spectrum down); when it makes the matrix singular, the inverse
 * throws a `LinAlgError` instead.
 */
export function checkDamping(damping: number, who: string): number {
  if (typeof damping !== "number" || !Number.isFinite(damping)) {
    throw new ValueError(`${who}.inverse: damping must be a finite number, got ${String(damping)}`);
  }
  return damping;
}
