/**
 * Axis handling shared by the reductions.
 */
import { ValueError, type Dim, type ValueType } from "@curv/tensor";

/** The axes of a reduction, and whether reduced axes stay as extent 1. */
export interface ReductionParams {
  /** Sorted, non-negative, distinct axes. */
  readonly axes: readonly number[];
  readonly keepdims: boolean;
  [key: string]: unknown;
}

/** `axes` normalized for rank `rank` (negative counts from the end; undefined means all), sorted. */
export function normalizeAxes(what: string, axes: readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return [...Array(rank).keys()];
  const normalized = axes.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) throw new ValueError(`${what}: axis ${a} out of range for rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
  if (new Set(normalized).size !== normalized.length) throw new ValueError(`${what}: repeated axis in [${axes.join(", ")}]`);
  return normalized.sort((p, q) => p - q);
}

/** The shape after reducing `axes`. */
export function reducedShape(shape: readonly Dim[], { axes, keepdims }: ReductionParams): Dim[] {
  return keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** The type rule of a reduction. */
export function reductionType([x]: readonly ValueType[], params: ReductionParams): ValueType {
  params.axes.forEach((a) => {
    if (a >= x.shape.length) throw new ValueError(`axis ${a} out of range for rank ${x.shape.length}`);
  });
  return { dtype: x.dtype, shape: reducedShape(x.shape, params) };
}

/** The params of a reduction batched along a new leading axis. */
export function shiftedReduction({ axes, keepdims }: ReductionParams): ReductionParams {
  return { axes: axes.map((a) => a + 1), keepdims };
}
