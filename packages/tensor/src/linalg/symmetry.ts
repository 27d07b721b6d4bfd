import type { FloatDType } from "../dtype.js";
import { ValueError } from "../errors.js";

/** Which triangle of a symmetric matrix a routine reads: `"L"` lower (NumPy's default) or `"U"` upper. */
export type Triangle = "L" | "U";

/**
 * The default symmetry tolerance for a dtype, relative to the largest entry:
 * the square root of its machine epsilon (1.5e-8 for float64, 3.5e-4 for
 * float32), so round-off from forming a matrix as, say, `J^T J` in two
 * different orders passes while a genuinely non-symmetric matrix does not.
 */
export function defaultSymmetryTolerance(dtype: FloatDType): number {
  return Math.sqrt(dtype === "float32" ? 2 ** -23 : Number.EPSILON);
}

/** The largest `|a_ij|` of a flat matrix (0 for an empty one). */
export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/**
 * Throws a {@link ValueError} naming the worst pair if some
 * `|a_ij - a_ji| > tolerance * max |a|`.
 */
export function assertSymmetric(a: Float64Array, n: number, tolerance: number, routine: string, argument: string): void {
  const bound = tolerance * maxAbs(a);
  let worst = 0;
  let worstI = 0;
  let worstJ = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const gap = Math.abs(a[i * n + j] - a[j * n + i]);
      if (gap > worst) {
        worst = gap;
        worstI = i;
        worstJ = j;
      }
    }
  }
  if (worst > bound) {
    throw new ValueError(
      `${routine}: ${argument} is not symmetric: ${argument}[${worstI}, ${worstJ}] = ${a[worstI * n + worstJ]} but ` +
        `${argument}[${worstJ}, ${worstI}] = ${a[worstJ * n + worstI]} (difference ${worst.toExponential(3)}, tolerance ` +
        `${bound.toExponential(3)} = ${tolerance} * max |${argument}|); symmetrize it, e.g. (A + A^T) / 2, or pass a larger symmetryTolerance`,
    );
  }
}

/** Overwrites the triangle opposite to `triangle` with its mirror image, so only `triangle` is read. */
export function mirrorTriangle(a: Float64Array, n: number, triangle: Triangle): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (triangle === "L") a[i * n + j] = a[j * n + i];
      else a[j * n + i] = a[i * n + j];
    }
  }
}
