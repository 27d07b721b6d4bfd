import { CurvError } from "@curv/tensor";

/**
 * The model is not one fixed function of the data: a layer draws random
 * numbers (Dropout in training mode), or two passes over the data disagree
 * (shuffled batches, a data set that changes). Curvature operators raise it
 * when `checkDeterministic` is on; curvlinops raises a `RuntimeError`.
 *
 * @example
 * ```ts
 * try {
 *   await new HessianLinearOperator(model, loss, names, data).matvec(v);
 * } catch (error) {
 *   if (error instanceof NondeterministicModelError) model.eval();   // e.g. switch Dropout off
 * }
 * ```
 */
export class NondeterministicModelError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("NONDETERMINISTIC", message, options);
  }
}
