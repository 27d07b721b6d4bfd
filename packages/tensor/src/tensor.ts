import { allocate, dtypeOfArray, isDType, type DataArray, type DataArrayMap, type DType } from "./dtype.js";
import { DTypeError, ShapeError, ValueError } from "./errors.js";
import { assertShape, formatShape, normalizeAxis, sizeOf, stridesOf, type Shape } from "./shape.js";

/** Nested JavaScript arrays of numbers (or booleans / bigints), as `toNested` returns them. */
export type NestedArray = number | boolean | bigint | NestedArray[];

/**
 * An n-dimensional array: a dtype, a shape and row-major typed-array storage.
 *
 * Tensors are values: operations return new tensors and never change their
 * inputs. `data` is exposed for kernels and interop; treat it as read-only
 * unless you created the tensor yourself.
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2, 3], [4, 5, 6]]);      // float32, shape [2, 3]
 * a.transpose().shape;                             // [3, 2]
 * a.reshape([3, -1]).toNested();                   // [[1, 2], [3, 4], [5, 6]]
 * ```
 */
export class Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: DataArrayMap[D];

  constructor(dtype: D, shape: Shape, data?: DataArrayMap[D]) {
    assertShape(shape as unknown[]);
    const size = sizeOf(shape);
    if (data === undefined) {
      data = allocate(dtype, size);
    } else {
      if (dtypeOfArray(data) !== dtype) {
        throw new DTypeError(`Tensor: storage is ${dtypeOfArray(data)} but dtype is ${dtype}`);
      }
      if (data.length !== size) {
        throw new ShapeError(`Tensor: shape ${formatShape(shape)} needs ${size} elements, storage has ${data.length}`);
      }
    }
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Row-major strides in elements. */
  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** A copy with its own storage. */
  clone(): Tensor<D> {
    return new Tensor(this.dtype, this.shape, this.data.slice() as DataArrayMap[D]);
  }

  /** The single element of a tensor of size 1, as a number. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item(): tensor has ${this.size} elements, expected 1`);
    return Number(this.data[0]);
  }

  /** The element at a multi-index (negative indices count from the end). */
  get(...index: number[]): number {
    if (index.length !== this.ndim) {
      throw new ShapeError(`get(): expected ${this.ndim} indices for shape ${formatShape(this.shape)}, got ${index.length}`);
    }
    const strides = this.strides;
    let offset = 0;
    for (let i = 0; i < index.length; i++) {
      const d = this.shape[i];
      const k = index[i] < 0 ? index[i] + d : index[i];
      if (!Number.isInteger(k) || k < 0 || k >= d) throw new ShapeError(`get(): index ${index[i]} out of range for axis ${i} of size ${d}`);
      offset += k * strides[i];
    }
    return Number(this.data[offset]);
  }

  /** The same data under another shape; one extent may be -1 (inferred). Shares storage. */
  reshape(shape: readonly number[]): Tensor<D> {
    const out = [...shape];
    const unknown = out.indexOf(-1);
    if (unknown !== -1) {
      if (out.indexOf(-1, unknown + 1) !== -1) throw new ShapeError(`reshape: at most one -1 allowed, got ${formatShape(shape)}`);
      const known = sizeOf(out.filter((_, i) => i !== unknown));
      if (known === 0 || this.size % known !== 0) {
        throw new ShapeError(`reshape: cannot reshape ${formatShape(this.shape)} into ${formatShape(shape)}`);
      }
      out[unknown] = this.size / known;
    }
    assertShape(out, "reshape");
    if (sizeOf(out) !== this.size) {
      throw new ShapeError(`reshape: cannot reshape ${formatShape(this.shape)} (${this.size} elements) into ${formatShape(shape)}`);
    }
    return new Tensor(this.dtype, out, this.data);
  }

  /** Reverses the axes, or permutes them by `perm` (like NumPy's `transpose`). Copies. */
  transpose(perm?: readonly number[]): Tensor<D> {
    const ndim = this.ndim;
    const p = perm ? perm.map((a) => normalizeAxis(a, ndim, "transpose: axis")) : [...Array(ndim).keys()].reverse();
    if (p.length !== ndim || new Set(p).size !== ndim) {
      throw new ShapeError(`transpose: permutation [${perm?.join(", ")}] is not a permutation of ${ndim} axes`);
    }
    const outShape = p.map((a) => this.shape[a]);
    const out = allocate(this.dtype, this.size);
    const inStrides = this.strides;
    const permStrides = p.map((a) => inStrides[a]);
    const src = this.data as DataArray;
    // Walk the output in row-major order with an odometer over the input offsets.
    const idx = new Array<number>(ndim).fill(0);
    let offset = 0;
    for (let o = 0; o < out.length; o++) {
      (out as DataArray)[o] = src[offset];
      for (let ax = ndim - 1; ax >= 0; ax--) {
        idx[ax]++;
        offset += permStrides[ax];
        if (idx[ax] < outShape[ax]) break;
        offset -= permStrides[ax] * outShape[ax];
        idx[ax] = 0;
      }
    }
    return new Tensor(this.dtype, outShape, out);
  }

  /** Alias of {@link Tensor.transpose} with an explicit permutation. */
  permute(perm: readonly number[]): Tensor<D> {
    return this.transpose(perm);
  }

  /**
   * A sub-tensor. One entry per leading axis: a number picks an index (the axis
   * is dropped), `[start, stop]` or `[start, stop, step]` a range (negative
   * values count from the end, `stop` may be `null` for "to the end"), `null` the
   * whole axis. Copies.
   */
  slice(...ranges: (number | null | readonly [number | null, (number | null)?, number?])[]): Tensor<D> {
    if (ranges.length > this.ndim) throw new ShapeError(`slice: ${ranges.length} ranges for a tensor of rank ${this.ndim}`);
    const starts: number[] = [];
    const steps: number[] = [];
    const counts: number[] = [];
    const keep: boolean[] = [];
    for (let ax = 0; ax < this.ndim; ax++) {
      const d = this.shape[ax];
      const r = ax < ranges.length ? ranges[ax] : null;
      if (typeof r === "number") {
        const k = r < 0 ? r + d : r;
        if (!Number.isInteger(k) || k < 0 || k >= d) throw new ShapeError(`slice: index ${r} out of range for axis ${ax} of size ${d}`);
        starts.push(k); steps.push(1); counts.push(1); keep.push(false);
        continue;
      }
      const [s0, e0, step = 1] = r === null ? [0, d, 1] : r;
      if (!Number.isInteger(step) || step === 0) throw new ValueError(`slice: step must be a non-zero integer, got ${step}`);
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
      const norm = (v: number) => (v < 0 ? v + d : v);
      let start: number;
      let stop: number;
      if (step > 0) {
        start = s0 === null ? 0 : clamp(norm(s0), 0, d);
        stop = e0 === null || e0 === undefined ? d : clamp(norm(e0), 0, d);
      } else {
        start = s0 === null ? d - 1 : clamp(norm(s0), -1, d - 1);
        stop = e0 === null || e0 === undefined ? -1 : clamp(norm(e0), -1, d - 1);
      }
      const count = Math.max(0, Math.ceil((stop - start) / step));
      starts.push(start); steps.push(step); counts.push(count); keep.push(true);
    }
    const size = sizeOf(counts);
    const out = allocate(this.dtype, size);
    const strides = this.strides;
    const src = this.data as DataArray;
    const idx = new Array<number>(this.ndim).fill(0);
    for (let o = 0; o < size; o++) {
      let offset = 0;
      for (let ax = 0; ax < this.ndim; ax++) offset += (starts[ax] + idx[ax] * steps[ax]) * strides[ax];
      (out as DataArray)[o] = src[offset];
      for (let ax = this.ndim - 1; ax >= 0; ax--) {
        if (++idx[ax] < counts[ax]) break;
        idx[ax] = 0;
      }
    }
    return new Tensor(this.dtype, counts.filter((_, i) => keep[i]), out);
  }

  /** A copy converted to another dtype (floats to ints truncate toward zero; bool is `x != 0`). */
  astype<E extends DType>(dtype: E): Tensor<E> {
    if (!isDType(dtype)) throw new DTypeError(`astype: unknown dtype "${String(dtype)}"`);
    if ((dtype as DType) === this.dtype) return this.clone() as unknown as Tensor<E>;
    const out = allocate(dtype, this.size);
    const src = this.data as DataArray;
    if (dtype === "int64") {
      const o = out as BigInt64Array;
      for (let i = 0; i < src.length; i++) o[i] = typeof src[i] === "bigint" ? (src[i] as bigint) : BigInt(Math.trunc(src[i] as number));
    } else if (dtype === "bool") {
      for (let i = 0; i < src.length; i++) (out as Uint8Array)[i] = src[i] ? 1 : 0;
    } else {
      const o = out as Float32Array | Float64Array | Int32Array;
      for (let i = 0; i < src.length; i++) o[i] = Number(src[i]);
    }
    return new Tensor(dtype, this.shape, out);
  }

  /** The elements as a flat array of numbers (int64 converted with `Number`). */
  toArray(): number[] {
    return Array.from(this.data as ArrayLike<number | bigint>, Number);
  }

  /** The elements as nested arrays (booleans for bool, bigints for int64, numbers otherwise). */
  toNested(): NestedArray {
    const data = this.data as DataArray;
    const convert = this.dtype === "bool" ? (v: number | bigint) => v !== 0 : (v: number | bigint) => v;
    if (this.ndim === 0) return convert(data[0]);
    const build = (axis: number, offset: number, strides: number[]): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[axis]; i++) {
        const at = offset + i * strides[axis];
        out.push(axis === this.ndim - 1 ? convert(data[at]) : build(axis + 1, at, strides));
      }
      return out;
    };
    return build(0, 0, this.strides);
  }

  /** A readable rendering, e.g. `Tensor(float32, [2, 2]) [[1, 2], [3, 4]]`, eliding long axes. */
  toString(): string {
    const fmt = (v: number | bigint): string => {
      if (typeof v === "bigint") return v.toString();
      if (this.dtype === "bool") return v ? "true" : "false";
      if (this.dtype === "int32" || Number.isInteger(v)) return String(v);
      const a = Math.abs(v);
      return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
    };
    const data = this.data as DataArray;
    const strides = this.strides;
    const edge = 3;
    const render = (axis: number, offset: number): string => {
      if (axis === this.ndim) return fmt(data[offset]);
      const n = this.shape[axis];
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        if (n > 2 * edge + 1 && i === edge) {
          parts.push("...");
          i = n - edge - 1;
          continue;
        }
        parts.push(render(axis + 1, offset + i * strides[axis]));
      }
      return `[${parts.join(axis === this.ndim - 1 ? ", " : ",\n" + " ".repeat(axis + 1))}]`;
    };
    return `Tensor(${this.dtype}, ${formatShape(this.shape)}) ${render(0, 0)}`;
  }
}

/** Options of tensor constructors. */
export interface TensorOptions<D extends DType = DType> {
  /** Element type; defaults to float32 (int64 for bigint data, bool for boolean data). */
  dtype?: D;
  /** Shape; required for flat typed arrays of rank other than 1. */
  shape?: readonly number[];
}

function inferNested(value: NestedArray): { shape: number[]; flat: (number | boolean | bigint)[] } {
  const shape: number[] = [];
  let probe: NestedArray = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
    if (probe === undefined) break;
  }
  const flat: (number | boolean | bigint)[] = [];
  const walk = (v: NestedArray, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (Array.isArray(v)) throw new ShapeError(`tensor: ragged nested array at ${path}: expected a scalar, got an array`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new ShapeError(`tensor: ragged nested array at ${path}: expected ${shape[axis]} entries, got ${Array.isArray(v) ? v.length : "a scalar"}`);
    }
    v.forEach((x, i) => walk(x, axis + 1, `${path}[${i}]`));
  };
  walk(value, 0, "root");
  return { shape, flat };
}

/**
 * Creates a tensor from nested arrays, a flat array with a shape, or a typed array.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]], { dtype: "float64" });
 * tensor(new Float32Array(6), { shape: [2, 3] });
 * tensor(3.5);                                     // a float32 scalar
 * ```
 */
export function tensor<D extends DType = "float32">(
  value: NestedArray | DataArray | readonly number[],
  options: TensorOptions<D> = {},
): Tensor<D> {
  if (ArrayBuffer.isView(value)) {
    const arr = value as DataArray;
    const dtype = (options.dtype ?? dtypeOfArray(arr)) as D;
    const shape = options.shape ?? [arr.length];
    const data = dtypeOfArray(arr) === dtype ? arr.slice() : new Tensor(dtypeOfArray(arr), [arr.length], arr).astype(dtype).data;
    return new Tensor(dtype, shape, data as DataArrayMap[D]);
  }
  const { shape: nestedShape, flat } = inferNested(value as NestedArray);
  const first = flat[0];
  const dtype = (options.dtype ?? (typeof first === "bigint" ? "int64" : typeof first === "boolean" ? "bool" : "float32")) as D;
  const shape = options.shape ?? nestedShape;
  if (sizeOf(shape) !== flat.length) {
    throw new ShapeError(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} elements, got ${flat.length}`);
  }
  const data = allocate(dtype, flat.length);
  if (dtype === "int64") {
    for (let i = 0; i < flat.length; i++) (data as BigInt64Array)[i] = BigInt(typeof flat[i] === "bigint" ? (flat[i] as bigint) : Math.trunc(Number(flat[i])));
  } else {
    for (let i = 0; i < flat.length; i++) (data as Float64Array)[i] = Number(flat[i]);
  }
  return new Tensor(dtype, shape, data);
}

/** A tensor filled with `value`. */
export function full<D extends DType = "float32">(shape: readonly number[], value: number, dtype: D = "float32" as D): Tensor<D> {
  const t = new Tensor(dtype, shape);
  if (dtype === "int64") (t.data as BigInt64Array).fill(BigInt(Math.trunc(value)));
  else (t.data as Float64Array).fill(value);
  return t;
}

/** A tensor of zeros. */
export function zeros<D extends DType = "float32">(shape: readonly number[], dtype: D = "float32" as D): Tensor<D> {
  return new Tensor(dtype, shape);
}

/** A tensor of ones. */
export function ones<D extends DType = "float32">(shape: readonly number[], dtype: D = "float32" as D): Tensor<D> {
  return full(shape, 1, dtype);
}

/** The `n x m` identity (ones on the diagonal). */
export function eye<D extends DType = "float32">(n: number, m: number = n, dtype: D = "float32" as D): Tensor<D> {
  const t = new Tensor(dtype, [n, m]);
  const one = dtype === "int64" ? 1n : 1;
  for (let i = 0; i < Math.min(n, m); i++) (t.data as DataArray)[i * m + i] = one as never;
  return t;
}

/** Evenly spaced values in `[start, stop)` with `step`, like NumPy's `arange`. */
export function arange<D extends DType = "float32">(start: number, stop?: number, step = 1, dtype: D = "float32" as D): Tensor<D> {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const t = new Tensor(dtype, [n]);
  for (let i = 0; i < n; i++) (t.data as DataArray)[i] = (dtype === "int64" ? BigInt(start + i * step) : start + i * step) as never;
  return t;
}

/** `num` evenly spaced values from `start` to `stop` inclusive, like NumPy's `linspace`. */
export function linspace<D extends DType = "float32">(start: number, stop: number, num: number, dtype: D = "float32" as D): Tensor<D> {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  const t = new Tensor(dtype, [num]);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) (t.data as DataArray)[i] = (i === num - 1 && num > 1 ? stop : start + i * step) as never;
  return t;
}

/**
 * Joins tensors along an existing axis. All must share dtype and every other extent.
 *
 * @example
 * ```ts
 * concat([zeros([2, 3]), ones([1, 3])], 0).shape; // [3, 3]
 * ```
 */
export function concat<D extends DType>(tensors: readonly Tensor<D>[], axis = 0): Tensor<D> {
  if (tensors.length === 0) throw new ValueError("concat: expected at least one tensor");
  const first = tensors[0];
  const ax = normalizeAxis(axis, first.ndim, "concat: axis");
  for (const [i, t] of tensors.entries()) {
    if (t.dtype !== first.dtype) throw new DTypeError(`concat: tensor ${i} is ${t.dtype}, tensor 0 is ${first.dtype}`);
    if (t.ndim !== first.ndim || t.shape.some((d, k) => k !== ax && d !== first.shape[k])) {
      throw new ShapeError(`concat: tensor ${i} has shape ${formatShape(t.shape)}, incompatible with ${formatShape(first.shape)} along axis ${ax}`);
    }
  }
  const outer = sizeOf(first.shape.slice(0, ax));
  const inner = sizeOf(first.shape.slice(ax + 1));
  const total = tensors.reduce((s, t) => s + t.shape[ax], 0);
  const outShape = [...first.shape];
  outShape[ax] = total;
  const out = allocate(first.dtype, sizeOf(outShape)) as DataArray;
  let at = 0;
  for (const t of tensors) {
    const chunk = t.shape[ax] * inner;
    const src = t.data as DataArray;
    for (let o = 0; o < outer; o++) {
      (out as Float64Array).set((src as Float64Array).subarray(o * chunk, (o + 1) * chunk), o * total * inner + at);
    }
    at += chunk;
  }
  return new Tensor(first.dtype, outShape, out as DataArrayMap[D]);
}

/** Stacks same-shape tensors along a new axis. */
export function stack<D extends DType>(tensors: readonly Tensor<D>[], axis = 0): Tensor<D> {
  if (tensors.length === 0) throw new ValueError("stack: expected at least one tensor");
  const ax = normalizeAxis(axis, tensors[0].ndim + 1, "stack: axis");
  return concat(tensors.map((t) => t.reshape([...t.shape.slice(0, ax), 1, ...t.shape.slice(ax)])), ax);
}
