import { allocate, isDType, type DataArray, type DType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { assertShape, formatShape, normalizeAxis, sizeOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { broadcastShapesOf, broadcastStrides, forEachBroadcastRow } from "./broadcast.js";

/** The storage value of `value` in `dtype` (a bigint for int64, 0/1 for bool); integers must be integral. */
function storageValue(what: string, dtype: DType, value: number): number | bigint {
  if ((dtype === "int32" || dtype === "int64") && !Number.isInteger(value)) {
    throw new ValueError(`${what}: value ${value} is not an integer, so it has no ${dtype} value`);
  }
  if (dtype === "int64") return BigInt(value);
  if (dtype === "bool") return value !== 0 ? 1 : 0;
  return value;
}

function indexValues(what: string, indices: Tensor): ArrayLike<number | bigint> {
  if (indices.dtype !== "int32" && indices.dtype !== "int64") {
    throw new DTypeError(`${what}: argument indices: expected dtype int32 or int64, got ${indices.dtype}`);
  }
  return indices.data as ArrayLike<number | bigint>;
}

/**
 * Picks entries of `x` along `axis` (ONNX Gather, NumPy `take`): the result has
 * shape `x.shape[:axis] + indices.shape + x.shape[axis + 1:]`. Negative indices
 * count from the end; indices outside `[-d, d)` are a ValueError.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * gather(x, tensor([2, -3], { dtype: "int64" })).toNested();     // [[5, 6], [1, 2]]
 * gather(x, tensor([[1]], { dtype: "int32" }), 1).toNested();    // [[[2]], [[4]], [[6]]]
 * ```
 */
export function gather<D extends DType>(x: Tensor<D>, indices: Tensor, axis = 0): Tensor<D> {
  const values = indexValues("gather", indices);
  if (x.ndim === 0) throw new ShapeError("gather: argument x must have rank >= 1, got a scalar");
  const a = normalizeAxis(axis, x.ndim, "gather: axis");
  const d = x.shape[a];
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const count = values.length;
  const picked = new Array<number>(count);
  for (let t = 0; t < count; t++) {
    const k = Number(values[t]);
    if (k < -d || k >= d) throw new ValueError(`gather: index ${k} at position ${t} is out of range for axis ${a} of size ${d}`);
    picked[t] = k < 0 ? k + d : k;
  }
  const out = allocate(x.dtype, outer * count * inner) as Float64Array;
  const src = x.data as Float64Array;
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < count; t++) {
      const from = (o * d + picked[t]) * inner;
      out.set(src.subarray(from, from + inner), (o * count + t) * inner);
    }
  }
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  return new Tensor(x.dtype, shape, out as unknown as Tensor<D>["data"]);
}

/**
 * Broadcasts `x` against `shape` (ONNX Expand: bidirectional, so the result is
 * `broadcast(x.shape, shape)`, which may be larger than `shape`). Copies.
 *
 * @example
 * ```ts
 * expand(tensor([[1], [2]]), [2, 3]).toNested(); // [[1, 1, 1], [2, 2, 2]]
 * expand(tensor([[1], [2]]), [3, 1, 1]).shape;   // [3, 2, 1]
 * ```
 */
export function expand<D extends DType>(x: Tensor<D>, shape: readonly number[]): Tensor<D> {
  assertShape(shape as unknown[], "expand: shape");
  const outShape = broadcastShapesOf([x.shape, shape], "expand");
  const out = allocate(x.dtype, sizeOf(outShape)) as Float64Array;
  const src = x.data as Float64Array;
  forEachBroadcastRow(outShape, [broadcastStrides(x.shape, outShape)], (o, [i], n, [s]) => {
    if (s === 1) out.set(src.subarray(i, i + n), o);
    else for (let k = 0; k < n; k++, i += s) out[o + k] = src[i];
  });
  return new Tensor(x.dtype, outShape, out as unknown as Tensor<D>["data"]);
}

/** How {@link pad} fills the border: a constant, a mirror image without repeating the edge, or the edge repeated. */
export type PadMode = "constant" | "reflect" | "edge";

/**
 * Pads (or, with negative pads, crops) every axis (ONNX Pad): `pads` is
 * `[x1_begin, x2_begin, ..., x1_end, x2_end, ...]`. `reflect` mirrors about the
 * edge element (`[1, 2, 3]` padded by 2 is `[3, 2, 1, 2, 3, 2, 1]`), repeating
 * the reflection when a pad is longer than the axis; `edge` repeats the edge
 * element.
 *
 * @example
 * ```ts
 * pad(tensor([[1, 2]]), [1, 0, 0, 1]).toNested();        // [[0, 0, 0], [1, 2, 0]]
 * pad(tensor([1, 2, 3]), [2, 1], "reflect").toArray();    // [3, 2, 1, 2, 3, 2]
 * pad(tensor([1, 2, 3]), [-1, 2], "edge").toArray();      // [2, 3, 3, 3]
 * ```
 */
export function pad<D extends DType>(x: Tensor<D>, pads: readonly number[], mode: PadMode = "constant", value = 0): Tensor<D> {
  const rank = x.ndim;
  if (pads.length !== 2 * rank || !pads.every(Number.isInteger)) {
    throw new ShapeError(`pad: pads must be ${2 * rank} integers for x of shape ${formatShape(x.shape)}, got [${pads.join(", ")}]`);
  }
  if (mode !== "constant" && mode !== "reflect" && mode !== "edge") {
    throw new ValueError(`pad: mode must be "constant", "reflect" or "edge", got "${String(mode)}"`);
  }
  const fill = storageValue("pad", x.dtype, value);
  const outShape = x.shape.map((d, a) => d + pads[a] + pads[a + rank]);
  if (outShape.some((d) => d < 0)) {
    throw new ShapeError(`pad: pads [${pads.join(", ")}] crop x of shape ${formatShape(x.shape)} below zero (${formatShape(outShape)})`);
  }
  // For each axis and output position, the input position it reads (-1: the constant).
  const sources = outShape.map((n, a) => {
    const d = x.shape[a];
    if (mode !== "constant" && d === 0 && n > 0) throw new ShapeError(`pad: cannot ${mode}-pad axis ${a} of size 0`);
    return Int32Array.from({ length: n }, (_, o) => sourceIndex(o - pads[a], d, mode));
  });
  const out = allocate(x.dtype, sizeOf(outShape)) as DataArray;
  const src = x.data as Float64Array;
  const dst = out as Float64Array;
  const inStrides = x.strides;
  let o = 0;
  const walk = (axis: number, inOffset: number, inside: boolean): void => {
    const map = sources[axis];
    for (let k = 0; k < map.length; k++) {
      const i = map[k];
      const ok = inside && i >= 0;
      if (axis === rank - 1) dst[o++] = (ok ? src[inOffset + i] : fill) as number;
      else walk(axis + 1, ok ? inOffset + i * inStrides[axis] : 0, ok);
    }
  };
  if (rank === 0) dst[0] = src[0];
  else if (out.length > 0) walk(0, 0, true);
  return new Tensor(x.dtype, outShape, out as Tensor<D>["data"]);
}

function sourceIndex(i: number, d: number, mode: PadMode): number {
  if (i >= 0 && i < d) return i;
  if (mode === "constant") return -1;
  if (mode === "edge") return i < 0 ? 0 : d - 1;
  if (d === 1) return 0;
  // Reflection has period 2 (d - 1): ..., 2, 1, [0, 1, ..., d - 1], d - 2, ...
  const period = 2 * (d - 1);
  const m = ((i % period) + period) % period;
  return m < d ? m : period - m;
}

/**
 * Repeats `x` `repeats[a]` times along each axis `a` (ONNX Tile, NumPy `tile` with equal ranks).
 *
 * @example
 * ```ts
 * tile(tensor([[1, 2]]), [2, 2]).toNested(); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 * ```
 */
export function tile<D extends DType>(x: Tensor<D>, repeats: readonly number[]): Tensor<D> {
  if (repeats.length !== x.ndim || !repeats.every((r) => Number.isInteger(r) && r >= 0)) {
    throw new ShapeError(`tile: repeats must be ${x.ndim} non-negative integers for x of shape ${formatShape(x.shape)}, got [${repeats.join(", ")}]`);
  }
  // Interleave a broadcast axis before every axis: [d0, d1] -> [1, d0, 1, d1] -> [r0, d0, r1, d1] -> [r0 * d0, r1 * d1].
  const interleaved = x.shape.flatMap((d) => [1, d]);
  const expanded = x.shape.flatMap((d, a) => [repeats[a], d]);
  return expand(x.reshape(interleaved), expanded).reshape(x.shape.map((d, a) => d * repeats[a]));
}

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  /** Where the new axis of size `depth` goes; default -1 (last). */
  axis?: number;
  /** `[off, on]` values; default `[0, 1]`. */
  values?: readonly [number, number];
}

/**
 * One-hot encoding (ONNX OneHot): a new axis of size `depth` at `axis` holding
 * `on` at each index and `off` elsewhere. Negative indices count from `depth`;
 * indices outside `[-depth, depth)` give all-`off` rows, as ONNX specifies.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2, -1], { dtype: "int64" }), 3, "float32").toNested();
 * // [[1, 0, 0], [0, 0, 1], [0, 0, 1]]
 * ```
 */
export function oneHot<E extends DType = "float32">(indices: Tensor, depth: number, dtype: E = "float32" as E, options: OneHotOptions = {}): Tensor<E> {
  const values = indexValues("oneHot", indices);
  if (!Number.isInteger(depth) || depth < 1) throw new ValueError(`oneHot: depth must be a positive integer, got ${depth}`);
  if (!isDType(dtype)) throw new DTypeError(`oneHot: unknown dtype "${String(dtype)}"`);
  const axis = normalizeAxis(options.axis ?? -1, indices.ndim + 1, "oneHot: axis");
  const [offValue, onValue] = options.values ?? [0, 1];
  const off = storageValue("oneHot", dtype, offValue);
  const on = storageValue("oneHot", dtype, onValue);
  const outer = sizeOf(indices.shape.slice(0, axis));
  const inner = sizeOf(indices.shape.slice(axis));
  const out = allocate(dtype, outer * depth * inner) as Float64Array;
  out.fill(off as number);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let k = Number(values[o * inner + i]);
      if (k < 0) k += depth;
      if (k >= 0 && k < depth) out[(o * depth + k) * inner + i] = on as number;
    }
  }
  const shape = [...indices.shape.slice(0, axis), depth, ...indices.shape.slice(axis)];
  return new Tensor(dtype, shape, out as unknown as Tensor<E>["data"]);
}
