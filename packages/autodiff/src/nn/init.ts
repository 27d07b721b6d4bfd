/**
 * PyTorch's default initialization of Linear and Conv2d layers, drawn from
 * a seeded {@link Generator} (same distributions as PyTorch, not the same
 * numbers: the generators differ).
 */
import { Generator, ValueError, zeros, type FloatDType, type Tensor } from "@curv/tensor";

/**
 * The generator layers draw from when none is given: one shared stream,
 * seeded 0, the counterpart of PyTorch's global default generator. Pass a
 * generator of your own for results that do not depend on construction order.
 */
export const defaultGenerator = new Generator(0);

/**
 * Kaiming-uniform (He et al. 2015) with negative slope `a`: uniform on
 * `[-bound, bound]` with `bound = gain * sqrt(3 / fanIn)` and
 * `gain = sqrt(2 / (1 + a^2))`. PyTorch's layers use `a = sqrt(5)`, which
 * gives `bound = 1 / sqrt(fanIn)`.
 *
 * @example
 * ```ts
 * const w = kaimingUniform(new Generator(0), [5, 7], { fanIn: 7, a: Math.sqrt(5), dtype: "float64" });
 * ```
 */
export function kaimingUniform<D extends FloatDType>(generator: Generator, shape: readonly number[], { fanIn, a, dtype }: { fanIn: number; a: number; dtype: D }): Tensor<D> {
  if (!(fanIn > 0)) throw new ValueError(`kaimingUniform: fanIn must be positive (a layer with no inputs cannot be initialized), got ${fanIn}`);
  const gain = Math.sqrt(2 / (1 + a * a));
  return uniformSymmetric(generator, shape, gain * Math.sqrt(3 / fanIn), dtype);
}

/**
 * PyTorch's default bias: uniform on `[-1/sqrt(fanIn), 1/sqrt(fanIn)]` (zero when `fanIn` is 0).
 *
 * @example
 * ```ts
 * const b = defaultBias(new Generator(0), [5], 7, "float64");   // entries in ±1/sqrt(7)
 * ```
 */
export function defaultBias<D extends FloatDType>(generator: Generator, shape: readonly number[], fanIn: number, dtype: D): Tensor<D> {
  return uniformSymmetric(generator, shape, fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, dtype);
}

function uniformSymmetric<D extends FloatDType>(generator: Generator, shape: readonly number[], bound: number, dtype: D): Tensor<D> {
  // Generator.uniform needs low < high; a zero bound means all zeros.
  if (bound === 0) return zeros(shape, dtype);
  return generator.uniform(shape, { low: -bound, high: bound, dtype });
}
