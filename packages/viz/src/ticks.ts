import { scaleLinear } from "d3-scale";

/** A tick: where along its axis (in [0, 1] from the low end) and its label. */
export interface Tick {
  readonly at: number;
  readonly label: string;
}

/**
 * About `count` round tick values between `lo` and `hi` with labels of just
 * enough digits (d3-scale's `ticks` and `tickFormat`, as d3 axes use them).
 * Equal limits give one tick at the low end.
 */
export function valueTicks(lo: number, hi: number, count = 5): Tick[] {
  if (lo === hi) return [{ at: 0, label: scaleLinear().domain([lo, lo]).tickFormat(1)(lo) }];
  const scale = scaleLinear().domain([lo, hi]).range([0, 1]);
  const format = scale.tickFormat(count);
  return scale.ticks(count).map((v) => ({ at: scale(v), label: format(v) }));
}

/**
 * Ticks at row or column indices of a matrix with `n` rows or columns, placed
 * at cell centres (as matplotlib's `imshow` does) and labelled 0-based.
 */
export function indexTicks(n: number, count = 5): Tick[] {
  const indices = n === 1 ? [0] : scaleLinear().domain([0, n - 1]).ticks(count).filter(Number.isInteger);
  return indices.map((i) => ({ at: (i + 0.5) / n, label: String(i) }));
}
