import type { DataArrayMap, DType } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { normalizeAxis } from "../shape.js";
import type { Tensor } from "../tensor.js";

/**
 * Normalizes reduction axes: negative axes count from the end, `undefined` or
 * `[]` mean every axis (ONNX's default `noop_with_empty_axes = 0`), repeats are
 * an error. Returned in increasing order.
 */
export function normalizeAxes(axes: readonly number[] | undefined, ndim: number, what: string): number[] {
  if (axes === undefined || axes.length === 0) return [...Array(ndim).keys()];
  const out = axes.map((a) => normalizeAxis(a, ndim, `${what}: axis`));
  if (new Set(out).size !== out.length) throw new ShapeError(`${what}: axes [${axes.join(", ")}] repeat an axis`);
  return out.sort((a, b) => a - b);
}

/**
 * A tensor's elements arranged so that each reduction reads one contiguous
 * run: `data` holds `outer` groups of `inner` elements, group `o` being the
 * elements that reduce into output element `o` (row-major over kept axes).
 */
export interface ReductionLayout<D extends DType> {
  data: DataArrayMap[D];
  outer: number;
  inner: number;
  /** Extents of the kept axes, in order. */
  keptShape: number[];
  /** The permutation that produced `data` from `x` (kept axes, then reduced axes). */
  permutation: number[];
}

/**
 * Moves the reduced axes of `x` last (copying only when they are not already
 * trailing), so reductions run over contiguous memory.
 */
export function reductionLayout<D extends DType>(x: Tensor<D>, axes: readonly number[]): ReductionLayout<D> {
  const reduced = new Set(axes);
  const kept = [...Array(x.ndim).keys()].filter((a) => !reduced.has(a));
  const permutation = [...kept, ...axes];
  const identity = permutation.every((a, i) => a === i);
  const data = identity ? x.data : x.transpose(permutation).data;
  const keptShape = kept.map((a) => x.shape[a]);
  const inner = axes.reduce((p, a) => p * x.shape[a], 1);
  const outer = keptShape.reduce((p, d) => p * d, 1);
  return { data, outer, inner, keptShape, permutation };
}

/** The shape of a reduction's result: reduced axes dropped, or kept as 1 with `keepdims`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return keepdims ? shape.map((d, a) => (axes.includes(a) ? 1 : d)) : shape.filter((_, a) => !axes.includes(a));
}
