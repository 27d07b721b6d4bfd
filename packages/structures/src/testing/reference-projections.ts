import { Tensor } from "@curv/tensor";
import { denseTranspose, type Dense } from "./dense-reference.js";

// The projections Π written out entry by entry from their definitions
// (singd.md §1 and SINGD's test projections), independently of the
// structures' block code: each entry of the n × n matrix is either kept,
// replaced by entry plus mirror, or dropped.

/** What Π does with entry `(i, j)`: copy it, store `S_ij + S_ji`, or drop it. */
export type EntryRole = "keep" | "mirror" | "drop";

/** Decides the role of every entry of an `n × n` matrix. */
export type RoleRule = (i: number, j: number, n: number) => EntryRole;

export function projectByRoles(s: Dense, rule: RoleRule): Dense {
  const n = s.shape[0];
  const out = new Tensor("float64", [n, n]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const role = rule(i, j, n);
      if (role === "keep") out.data[i * n + j] = s.data[i * n + j];
      if (role === "mirror") out.data[i * n + j] = s.data[i * n + j] + s.data[j * n + i];
    }
  }
  return out;
}

export const denseRule: RoleRule = () => "keep";

export const diagonalRule: RoleRule = (i, j) => (i === j ? "keep" : "drop");

export function blockDiagonalRule(blockDim: number): RoleRule {
  return (i, j) => (Math.floor(i / blockDim) === Math.floor(j / blockDim) ? "keep" : "drop");
}

/** `[[A, B_C, B_E], [0, diag(c), 0], [0, D, E]]` with blocks `[K1 | d | K2]` as SINGD sizes them. */
export function hierarchicalRule(maxK1: number, maxK2: number): RoleRule {
  return (i, j, n) => {
    const k1 = Math.min(n, maxK1);
    const k2 = n <= maxK1 ? 0 : Math.min(n - maxK1, maxK2);
    const o = n - k2; // start of the trailing block
    if (i < k1) return j < k1 ? "keep" : "mirror";
    if (i < o) return i === j ? "keep" : "drop";
    if (j < k1) return "drop";
    return j < o ? "mirror" : "keep";
  };
}

/** A dense first column (below the diagonal) plus the diagonal. */
export const trilBottomRightDiagonalRule: RoleRule = (i, j) => (i === j ? "keep" : j === 0 && i > 0 ? "mirror" : "drop");
/** A dense last row (left of the diagonal) plus the diagonal. */
export const trilTopLeftDiagonalRule: RoleRule = (i, j, n) => (i === j ? "keep" : i === n - 1 && j < n - 1 ? "mirror" : "drop");
/** A dense first row (right of the diagonal) plus the diagonal. */
export const triuBottomRightDiagonalRule: RoleRule = (i, j) => (i === j ? "keep" : i === 0 && j > 0 ? "mirror" : "drop");
/** A dense last column (above the diagonal) plus the diagonal. */
export const triuTopLeftDiagonalRule: RoleRule = (i, j, n) => (i === j ? "keep" : j === n - 1 && i < n - 1 ? "mirror" : "drop");

/** `[[A, B], [0, C]]` with A of size `boundary(n)` following `ruleA` and C following `ruleC`. */
export function topRightRule(boundary: (n: number) => number, ruleA: RoleRule, ruleC: RoleRule): RoleRule {
  return (i, j, n) => {
    const b = boundary(n);
    if (i < b && j < b) return ruleA(i, j, b);
    if (i >= b && j >= b) return ruleC(i - b, j - b, n - b);
    return i < b ? "mirror" : "drop";
  };
}

/** `[[A, 0], [B, C]]` with A of size `boundary(n)` following `ruleA` and C following `ruleC`. */
export function bottomLeftRule(boundary: (n: number) => number, ruleA: RoleRule, ruleC: RoleRule): RoleRule {
  return (i, j, n) => {
    const b = boundary(n);
    if (i < b && j < b) return ruleA(i, j, b);
    if (i >= b && j >= b) return ruleC(i - b, j - b, n - b);
    return i >= b ? "mirror" : "drop";
  };
}

/**
 * Lower triangular Toeplitz: the value on the k-th sub-diagonal is the mean
 * over the n − k positions of `S[i+k, i] + S[i, i+k]` (just `S[i, i]` on the
 * main diagonal).
 */
export function projectTrilToeplitz(s: Dense): Dense {
  const n = s.shape[0];
  const out = new Tensor("float64", [n, n]);
  for (let k = 0; k < n; k++) {
    let total = 0;
    for (let i = 0; i + k < n; i++) total += k === 0 ? s.data[i * n + i] : s.data[(i + k) * n + i] + s.data[i * n + i + k];
    for (let i = 0; i + k < n; i++) out.data[(i + k) * n + i] = total / (n - k);
  }
  return out;
}

/** Upper triangular Toeplitz: the transpose of the lower projection (as in SINGD's tests). */
export function projectTriuToeplitz(s: Dense): Dense {
  return denseTranspose(projectTrilToeplitz(s));
}
