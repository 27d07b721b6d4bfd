import { ValueError, type Generator } from "@curv/tensor";
import { eigsh } from "../eigensolvers/eigsh.js";
import type { LinearOperator } from "../linear-operator.js";

/** Known parts of a spectrum's boundaries `[λ_min, λ_max]`; `null` (or a missing pair) means "estimate it". */
export type SpectrumBoundaries = readonly [min: number | null, max: number | null];

export function checkBoundaries(boundaries: SpectrumBoundaries | undefined | null, who: string): SpectrumBoundaries {
  if (boundaries === undefined || boundaries === null) return [null, null];
  if (!Array.isArray(boundaries) || boundaries.length !== 2) {
    throw new ValueError(`${who}: boundaries must be a pair [min, max] (either may be null), got ${JSON.stringify(boundaries)}`);
  }
  const [min, max] = boundaries;
  for (const value of [min, max]) {
    if (value !== null && (typeof value !== "number" || !Number.isFinite(value))) {
      throw new ValueError(`${who}: boundaries must hold finite numbers or null, got ${JSON.stringify(boundaries)}`);
    }
  }
  if (min !== null && max !== null && !(min < max)) throw new ValueError(`${who}: boundaries must satisfy min < max, got [${min}, ${max}]`);
  return [min, max];
}

/**
 * `[λ_min, λ_max]` of a symmetric operator, the parts not given estimated by
 * curv's {@link eigsh} (curvlinops asks SciPy's): both ends at once (`"BE"`,
 * k = 2) when neither is known, else `"SA"` / `"LA"` with k = 1.
 */
export async function approximateBoundaries(
  operator: LinearOperator, boundaries: SpectrumBoundaries, tol: number, generator: Generator,
): Promise<[number, number]> {
  let [min, max] = boundaries;
  const options = { tol, generator, returnEigenvectors: false, maxIter: 1000 };
  if (min === null && max === null) {
    [min, max] = (await eigsh(operator, { ...options, k: 2, which: "BE" })).eigenvalues;
  }
  if (min === null) [min] = (await eigsh(operator, { ...options, k: 1, which: "SA" })).eigenvalues;
  if (max === null) [max] = (await eigsh(operator, { ...options, k: 1, which: "LA" })).eigenvalues;
  return [min, max];
}

/** `[λ_min(|A|), λ_max(|A|)]`: the smallest and largest magnitudes (`"SM"`, `"LM"`), as curvlinops' `approximate_boundaries_abs`. */
export async function approximateBoundariesAbs(
  operator: LinearOperator, boundaries: SpectrumBoundaries, tol: number, generator: Generator,
): Promise<[number, number]> {
  let [min, max] = boundaries;
  const options = { tol, generator, returnEigenvectors: false, maxIter: 1000 };
  if (max === null) [max] = (await eigsh(operator, { ...options, k: 1, which: "LM" })).eigenvalues;
  if (min === null) [min] = (await eigsh(operator, { ...options, k: 1, which: "SM" })).eigenvalues;
  return [Math.abs(min), Math.abs(max)];
}
