import { LinAlgError, type Generator } from "@curv/tensor";

// Column bookkeeping for the block Krylov eigensolver: vectors are
// Float64Arrays of length n, a basis is a list of orthonormal vectors.

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** `w ← w − Σ (vᵀw) v` over the basis, twice ("twice is enough", Giraud et al. 2005), in place. */
export function orthogonalize(w: Float64Array, basis: readonly Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const v of basis) {
      const c = dot(v, w);
      for (let i = 0; i < w.length; i++) w[i] -= c * v[i];
    }
  }
}

/**
 * Orthonormalizes `candidates` against `basis` and each other. A candidate
 * that is (numerically) in the span already is replaced by a random vector,
 * so the block keeps its size as long as the space has room: when the Krylov
 * space is invariant, the search continues in the rest of the space.
 * Returns at most `n − basis.length` vectors.
 */
export function extendBasis(candidates: readonly Float64Array[], basis: readonly Float64Array[], generator: Generator): Float64Array[] {
  const n = candidates[0]?.length ?? 0;
  const block: Float64Array[] = [];
  for (const candidate of candidates) {
    if (basis.length + block.length >= n) break;
    let w: Float64Array = Float64Array.from(candidate);
    const before = norm(w);
    orthogonalize(w, [...basis, ...block]);
    // A vector that lost all but ~1e-10 of its length is rounding noise in the span.
    for (let attempt = 0; !(norm(w) > 1e-10 * before) || !(norm(w) > 0); attempt++) {
      if (attempt === 5) throw new LinAlgError("eigsh: could not find a direction outside the Krylov basis (the products may be degenerate)");
      w = randomVector(n, generator);
      orthogonalize(w, [...basis, ...block]);
    }
    const length = norm(w);
    for (let i = 0; i < n; i++) w[i] /= length;
    block.push(w);
  }
  return block;
}

export function randomVector(n: number, generator: Generator): Float64Array {
  return Float64Array.from(generator.normal([n], { dtype: "float64" }).data);
}

/** The columns `Σⱼ sⱼᵢ vⱼ` for the chosen `columns` of the `[m, m]` row-major `s`. */
export function combine(vectors: readonly Float64Array[], s: ArrayLike<number>, m: number, columns: readonly number[]): Float64Array[] {
  const n = vectors[0].length;
  return columns.map((column) => {
    const out = new Float64Array(n);
    vectors.forEach((v, j) => {
      const c = s[j * m + column];
      if (c !== 0) for (let i = 0; i < n; i++) out[i] += c * v[i];
    });
    return out;
  });
}
