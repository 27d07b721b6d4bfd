import { Generator, ValueError, Tensor, type FloatDType } from "@curv/tensor";
import { asOperator, assertFiniteProduct, assertSquareOperator, checkInteger, float64Values, matrixTensor, type MatrixLike } from "../algorithm-inputs.js";
import type { LinearOperator } from "../linear-operator.js";

/** The entries of random probe vectors: ±1 with equal probability, or standard normal. Both have `E[v vᵀ] = I`. */
export type ProbeDistribution = "rademacher" | "normal";

/** Options of the randomized estimators. */
export interface EstimatorOptions {
  /** Draws the probes; every estimate advances it, so a seed gives the same estimates in the same order. */
  generator: Generator;
  /** The probes' entries; default `"rademacher"`, as curvlinops. */
  distribution?: ProbeDistribution;
}

/** What an estimator checked about its arguments. */
export interface EstimatorSetup<D extends FloatDType> {
  operator: LinearOperator<D>;
  dimension: number;
  generator: Generator;
  distribution: ProbeDistribution;
}

/**
 * Checks an estimator's arguments as curvlinops does: a square operator (or
 * 2-D tensor), `numMatvecs` a positive integer below the dimension (else the
 * exact value costs the same) and divisible by `divisor`, a known
 * distribution, a `Generator`. Each failure is a typed error naming the argument.
 */
export function setupEstimator<D extends FloatDType>(
  a: MatrixLike<D>, numMatvecs: number, options: EstimatorOptions, who: string, divisor = 1,
): EstimatorSetup<D> {
  const operator = asOperator(a, who);
  const dimension = assertSquareOperator(operator, who);
  checkNumMatvecs(numMatvecs, dimension, who, divisor);
  const { generator, distribution } = checkEstimatorOptions(options, who);
  return { operator, dimension, generator, distribution };
}

/** `numMatvecs`: an integer in `[1, limit)` divisible by `divisor`. */
export function checkNumMatvecs(numMatvecs: number, limit: number, who: string, divisor = 1): void {
  checkInteger(numMatvecs, who, "numMatvecs", 1);
  if (numMatvecs >= limit) {
    throw new ValueError(`${who}: numMatvecs (${numMatvecs}) must be less than A's dimension (${limit}); at that cost compute the exact value`);
  }
  if (numMatvecs % divisor !== 0) throw new ValueError(`${who}: numMatvecs (${numMatvecs}) must be divisible by ${divisor}`);
}

export function checkEstimatorOptions(options: EstimatorOptions, who: string): { generator: Generator; distribution: ProbeDistribution } {
  if (options === null || typeof options !== "object") throw new ValueError(`${who}: options must be an object such as { generator: new Generator(0) }`);
  const { generator, distribution = "rademacher" } = options;
  if (!(generator instanceof Generator)) throw new ValueError(`${who}: generator must be a Generator of @curv/tensor, got ${String(generator)}`);
  if (distribution !== "rademacher" && distribution !== "normal") {
    throw new ValueError(`${who}: distribution must be "rademacher" or "normal", got ${JSON.stringify(distribution)}`);
  }
  return { generator, distribution };
}

/** `count` probe vectors of length `n` as the columns of a float64 `[n, count]` tensor. */
export function drawProbes(generator: Generator, n: number, count: number, distribution: ProbeDistribution): Tensor<"float64"> {
  return distribution === "rademacher" ? generator.rademacher([n, count], "float64") : generator.normal([n, count], { dtype: "float64" });
}

/** `A X` for a float64 `[cols, K]` tensor: one batched `matmat` (`rmatmat` with `transpose`) in the operator's dtype, back in float64. */
export async function multiplyProbes(
  operator: LinearOperator, x: Tensor<"float64">, who: string, { transpose = false } = {},
): Promise<Tensor<"float64">> {
  const [rows, columns] = x.shape;
  const operand = matrixTensor(x.data, rows, columns, operator.dtype);
  const product = transpose ? await operator.rmatmat(operand) : await operator.matmat(operand);
  const values = float64Values(product);
  assertFiniteProduct(values, who, `the product of A${transpose ? "ᵀ" : ""} with ${columns} probe columns`);
  return new Tensor("float64", product.shape, values);
}

/** `Σᵢⱼ aᵢⱼ bᵢⱼ`. */
export function frobeniusInner(a: Tensor<"float64">, b: Tensor<"float64">): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += a.data[i] * b.data[i];
  return sum;
}
