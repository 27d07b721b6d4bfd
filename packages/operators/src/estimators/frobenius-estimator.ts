import { ShapeError, formatShape, type FloatDType } from "@curv/tensor";
import { asOperator, type MatrixLike } from "../algorithm-inputs.js";
import { checkEstimatorOptions, checkNumMatvecs, drawProbes, multiplyProbes, type EstimatorOptions } from "./probes.js";

/**
 * Hutchinson estimate of `‖A‖_F² = tr(AᵀA)`: `(1/N) Σ ‖A vₙ‖²`, curvlinops'
 * `hutchinson_squared_fro`. A may be rectangular; for a wide A the probes go
 * through `Aᵀ` (one `rmatmat`), so they live in the smaller space.
 * `numMatvecs` must be below the smaller dimension.
 *
 * @example
 * ```ts
 * const g = new Generator(0);
 * await hutchinsonSquaredFrobenius(g.uniform([40, 30], { dtype: "float64" }), 20, { generator: g });
 * ```
 */
export async function hutchinsonSquaredFrobenius<D extends FloatDType>(a: MatrixLike<D>, numMatvecs: number, options: EstimatorOptions): Promise<number> {
  const who = "hutchinsonSquaredFrobenius";
  const operator = asOperator(a, who);
  const [rows, cols] = operator.shape;
  if (rows === 0 || cols === 0) throw new ShapeError(`${who}: A must not be empty, got shape ${formatShape(operator.shape)}`);
  checkNumMatvecs(numMatvecs, Math.min(rows, cols), who);
  const { generator, distribution } = checkEstimatorOptions(options, who);
  const wide = cols > rows;
  const probes = drawProbes(generator, Math.min(rows, cols), numMatvecs, distribution);
  const product = await multiplyProbes(operator, probes, who, { transpose: wide });
  let sum = 0;
  for (const value of product.data) sum += value * value;
  return sum / numMatvecs;
}
