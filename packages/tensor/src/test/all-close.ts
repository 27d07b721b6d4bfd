import type { Tensor } from "../tensor.js";
import { formatShape, stridesOf } from "../shape.js";

/** Tolerances of {@link allClose}: `|a - b| <= atol + rtol * |b|` elementwise, as NumPy's `allclose`. */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** What {@link compare} found: whether all entries are close, and the worst one. */
export interface Comparison {
  ok: boolean;
  /** Largest `|a - b|`. */
  maxAbsError: number;
  /** Largest `|a - b| / |b|` over entries with `b != 0`. */
  maxRelError: number;
  /** Multi-index of the entry that most exceeds its tolerance (or the largest error when all pass). */
  worstIndex: number[];
  actual: number;
  expected: number;
  message: string;
}

type Numeric = Tensor | ArrayLike<number>;

function flat(x: Numeric): { values: ArrayLike<number>; shape: readonly number[] } {
  if ("dtype" in x && "shape" in x) {
    const t = x as Tensor;
    return { values: t.dtype === "int64" ? t.toArray() : (t.data as ArrayLike<number>), shape: t.shape };
  }
  return { values: x as ArrayLike<number>, shape: [(x as ArrayLike<number>).length] };
}

/**
 * Compares `actual` with `expected` elementwise and reports the worst entry.
 * NaN equals NaN only when both are NaN at the same place; shapes must match.
 */
export function compare(actual: Numeric, expected: Numeric, { rtol = 1e-5, atol = 1e-8 }: Tolerance = {}): Comparison {
  const a = flat(actual);
  const b = flat(expected);
  const sameShape = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
  if (!sameShape || a.values.length !== b.values.length) {
    return {
      ok: false, maxAbsError: Infinity, maxRelError: Infinity, worstIndex: [], actual: NaN, expected: NaN,
      message: `shape mismatch: actual ${formatShape(a.shape)}, expected ${formatShape(b.shape)}`,
    };
  }
  let ok = true;
  let maxAbs = 0;
  let maxRel = 0;
  let worst = 0;
  let worstExcess = -Infinity;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i];
    const y = b.values[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      ok = false;
      if (worstExcess < Infinity) { worstExcess = Infinity; worst = i; }
      continue;
    }
    if (x === y) continue; // covers equal infinities
    const err = Math.abs(x - y);
    const bound = atol + rtol * Math.abs(y);
    maxAbs = Math.max(maxAbs, err);
    if (y !== 0) maxRel = Math.max(maxRel, err / Math.abs(y));
    const excess = err - bound;
    if (!(err <= bound)) ok = false;
    if (excess > worstExcess) { worstExcess = excess; worst = i; }
  }
  const strides = stridesOf(a.shape);
  const worstIndex = strides.map((s, k) => Math.floor(worst / s) % (a.shape[k] || 1));
  const message = ok
    ? `all close (max abs error ${maxAbs.toExponential(3)}, max rel error ${maxRel.toExponential(3)})`
    : `not close (rtol ${rtol}, atol ${atol}): worst entry at [${worstIndex.join(", ")}] is ${a.values[worst]}, expected ${b.values[worst]}; ` +
      `max abs error ${maxAbs.toExponential(3)}, max rel error ${maxRel.toExponential(3)}`;
  return { ok, maxAbsError: maxAbs, maxRelError: maxRel, worstIndex, actual: a.values[worst], expected: b.values[worst], message };
}

/** Whether `actual` and `expected` agree within the tolerances (see {@link compare}). */
export function allClose(actual: Numeric, expected: Numeric, tolerance?: Tolerance): boolean {
  return compare(actual, expected, tolerance).ok;
}

/** Throws an Error with the report of {@link compare} unless the two agree. */
export function assertAllClose(actual: Numeric, expected: Numeric, tolerance?: Tolerance, what = "values"): void {
  const c = compare(actual, expected, tolerance);
  if (!c.ok) throw new Error(`${what}: ${c.message}`);
}
