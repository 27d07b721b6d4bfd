import { ValueError, type FloatDType, type Tensor } from "@curv/tensor";
import { traceOfMatrix } from "./dense-fallbacks.js";

/**
 * How {@link KroneckerProductLinearOperator.inverse} applies damping δ:
 * - `"exact"` (default): `(⊗Sᵢ + δI)⁻¹`, through the factors' eigendecompositions
 *   (curvlinops' `use_exact_damping=True`);
 * - `"per-factor"`: `⊗(Sᵢ + δI)⁻¹`, KFAC's usual approximation (curvlinops'
 *   default), cheaper and not equal to the exact one;
 * - `"heuristic"`: `⊗(Sᵢ + δᵢI)⁻¹` with factor dampings balanced by the factors'
 *   mean eigenvalues (Martens & Grosse 2015, section 6.3; at most two factors).
 */
export type KroneckerDamping = "exact" | "per-factor" | "heuristic";

/** Options of {@link KroneckerProductLinearOperator.inverse}. */
export interface KroneckerInverseOptions {
  /** Default `"exact"`. */
  damping?: KroneckerDamping;
  /** Lower bound of every heuristic factor damping; default 1e-8 (curvlinops' `min_damping`). */
  minDamping?: number;
}

const DAMPINGS: readonly KroneckerDamping[] = ["exact", "per-factor", "heuristic"];

export function checkKroneckerDamping(mode: unknown, who: string): KroneckerDamping {
  if (!DAMPINGS.includes(mode as KroneckerDamping)) {
    throw new ValueError(`${who}.inverse: options.damping must be one of ${DAMPINGS.join(", ")}, got ${String(mode)}`);
  }
  return mode as KroneckerDamping;
}

/**
 * Martens & Grosse (2015), section 6.3: for `S₁ ⊗ S₂` (KFAC's `G ⊗ A`),
 * `π = sqrt((tr S₂ / n₂) / (tr S₁ / n₁))`, `δ₁ = max(√δ / π, min)` and
 * `δ₂ = max(√δ · π, min)`, so that `(S₁ + δ₁I) ⊗ (S₂ + δ₂I)` adds about δ to
 * the spectrum while keeping the factors' scales. One factor gets `max(δ, min)`.
 */
export function heuristicFactorDampings(factors: readonly Tensor<FloatDType>[], damping: number, minDamping: number, who: string): number[] {
  if (!(minDamping >= 0) || !Number.isFinite(minDamping)) {
    throw new ValueError(`${who}.inverse: minDamping must be a finite non-negative number, got ${minDamping}`);
  }
  if (damping < 0) throw new ValueError(`${who}.inverse: heuristic damping needs damping >= 0, got ${damping}`);
  if (factors.length === 1) return [Math.max(damping, minDamping)];
  if (factors.length > 2) throw new ValueError(`${who}.inverse: heuristic damping works on at most two factors, got ${factors.length}`);
  const means = factors.map((s) => traceOfMatrix(s) / s.shape[0]);
  means.forEach((mean, i) => {
    if (!(mean > 0)) throw new ValueError(`${who}.inverse: heuristic damping needs positive mean eigenvalues; factor ${i} has ${mean}`);
  });
  const pi = Math.sqrt(means[1] / means[0]);
  const root = Math.sqrt(damping);
  return [Math.max(root / pi, minDamping), Math.max(root * pi, minDamping)];
}
