import type { Generator, Tensor } from "@curv/tensor";

/**
 * A random symmetric `dim x dim` matrix, `(U + Uᵀ) / 2` with `U` uniform in
 * [0, 1): the seed tutorial's `rand_symmetric`, drawn from a seeded generator.
 *
 * @example
 * ```ts
 * randomSymmetric(new Generator(0), 10).shape; // [10, 10]
 * ```
 */
export function randomSymmetric(generator: Generator, dim: number): Tensor<"float64"> {
  const u = generator.uniform([dim, dim], { dtype: "float64" });
  const out = u.clone();
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) out.data[i * dim + j] = (u.data[i * dim + j] + u.data[j * dim + i]) / 2;
  }
  return out;
}
