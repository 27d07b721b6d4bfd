/**
 * NNGeometry's `PFMapDense`: the Jacobian of O outputs on n examples with
 * respect to the parameters, stored `[O, n, P]` (unnormalized).
 */
import { DTypeError, ShapeError, Tensor, ValueError, formatShape, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { PVector } from "../vector/pvector.js";
import { FVector } from "./fvector.js";

/**
 * A dense push-forward map from parameter space to function space, `J`
 * `[O, n, P]`; corresponds to NNGeometry's `PFMapDense` (`jvp`, `vjp`,
 * `to_torch`, `+ - rmul`). Built by {@link Jacobian}; the PMat
 * representations' `mmap`, `mapTMmap` and `solve` take it too. Values are
 * kept in float64; results come in the map's dtype.
 *
 * @example
 * ```ts
 * const J = await Jacobian({ model, loader });   // [C, N, P]
 * const jv = J.jvp(v);                           // FVector [C, N]
 * const jtf = J.vjp(jv);                         // PVector Jᵀ J v (not divided by N)
 * ```
 */
export class PFMapDense<D extends FloatDType = FloatDType> {
  readonly layerCollection: LayerCollection;
  readonly dtype: D;
  readonly #data: Tensor<"float64">;

  /** Wraps `data` `[O, n, P]` (any float dtype; kept as float64). */
  constructor(layerCollection: LayerCollection, data: Tensor, dtype: D = data.dtype as D) {
    const p = layerCollection.numel();
    if (data.ndim !== 3 || data.shape[2] !== p) throw new ShapeError(`PFMapDense: data must be [O, n, ${p}], got ${formatShape(data.shape)}`);
    this.layerCollection = layerCollection;
    this.dtype = dtype;
    this.#data = data.astype("float64");
  }

  /** `[O, n, P]`, or one extent. */
  size(): [number, number, number];
  size(dim: 0 | 1 | 2): number;
  size(dim?: number): number | [number, number, number] {
    const shape = this.#data.shape as [number, number, number];
    if (dim === undefined) return [...shape];
    if (dim !== 0 && dim !== 1 && dim !== 2) throw new ValueError(`PFMapDense.size: dim must be 0, 1 or 2, got ${dim}`);
    return shape[dim];
  }

  /** The rows `[O·n, P]` as float64 (a view of the stored data, not a copy: do not write into it). */
  rows(): Float64Array {
    return this.#data.data;
  }

  /** `J` `[O, n, P]` (a copy, in the map's dtype); NNGeometry's `to_torch`. */
  toDense(): Tensor<D> {
    return this.#data.astype(this.dtype);
  }

  /**
   * Layer `id`'s columns of J in the parameters' shapes: `[W]` or `[W, b]`
   * with `W [O, n, ...weight.shape]` (NNGeometry's `to_torch_layer`).
   */
  getLayer(id: string): Tensor<D>[] {
    const layer = this.layerCollection.getLayer(id);
    const [o, n, p] = this.size();
    let offset = this.layerCollection.getLayerStart(id);
    return [layer.weight, ...(layer.bias === undefined ? [] : [layer.bias])].map((param) => {
      const size = param.shape.reduce((a, b) => a * b, 1);
      const out = new Tensor("float64", [o, n, ...param.shape]);
      for (let r = 0; r < o * n; r++) out.data.set(this.#data.data.subarray(r * p + offset, r * p + offset + size), r * size);
      offset += size;
      return out.astype(this.dtype);
    });
  }

  /** `[id, parts]` per layer (NNGeometry's `iter_by_layer`). */
  *iterByLayer(): IterableIterator<[string, Tensor<D>[]]> {
    for (const id of this.layerCollection.ids()) yield [id, this.getLayer(id)];
  }

  /** `J v` as an FVector `[O, n]`. */
  jvp(v: PVector): FVector<D> {
    this.assertVector(v, "PFMapDense.jvp");
    const [o, n, p] = this.size();
    const x = v.toFloat64();
    const out = new Tensor(this.dtype, [o, n]);
    for (let r = 0; r < o * n; r++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += this.#data.data[r * p + j] * x[j];
      out.data[r] = s;
    }
    return new FVector(out);
  }

  /** `Jᵀ f` as a PVector (not divided by n). */
  vjp(f: FVector): PVector<D> {
    const [o, n, p] = this.size();
    if (!(f instanceof FVector) || f.size()[0] !== o || f.size()[1] !== n) {
      throw new ShapeError(`PFMapDense.vjp: expected an FVector [${o}, ${n}], got ${f instanceof FVector ? formatShape(f.size()) : String(f)}`);
    }
    const values = f.toDense().data as ArrayLike<number>;
    const out = new Float64Array(p);
    for (let r = 0; r < o * n; r++) {
      const c = values[r];
      if (c === 0) continue;
      for (let j = 0; j < p; j++) out[j] += c * this.#data.data[r * p + j];
    }
    return PVector.fromFlat(this.layerCollection, new Tensor("float64", [p], out).astype(this.dtype));
  }

  add(other: PFMapDense<D>): PFMapDense<D> {
    this.assertSameShape(other, "PFMapDense.add");
    return this.combine(other, (a, b) => a + b);
  }

  sub(other: PFMapDense<D>): PFMapDense<D> {
    this.assertSameShape(other, "PFMapDense.sub");
    return this.combine(other, (a, b) => a - b);
  }

  /** `s J` (NNGeometry's `__rmul__`). */
  scale(s: number): PFMapDense<D> {
    return this.combine(this, (a) => s * a);
  }

  /** A map of the same collection and dtype with new float64 rows `[O, n, P]`. */
  withRows(rows: Float64Array): PFMapDense<D> {
    return new PFMapDense(this.layerCollection, new Tensor("float64", [...this.#data.shape], rows), this.dtype);
  }

  private combine(other: PFMapDense<D>, f: (a: number, b: number) => number): PFMapDense<D> {
    const theirs = other.#data.data;
    return this.withRows(this.#data.data.map((a, i) => f(a, theirs[i])));
  }

  private assertSameShape(other: PFMapDense, who: string): void {
    if (!(other instanceof PFMapDense)) throw new ValueError(`${who}: expected a PFMapDense, got ${String(other)}`);
    this.layerCollection.assertSame(other.layerCollection, who);
    if (other.size().some((d, i) => d !== this.size()[i])) throw new ShapeError(`${who}: shapes differ: ${formatShape(this.size())} vs ${formatShape(other.size())}`);
    if (other.dtype !== this.dtype) throw new DTypeError(`${who}: dtypes differ: ${this.dtype} vs ${other.dtype}`);
  }

  private assertVector(v: PVector, who: string): void {
    if (!(v instanceof PVector)) throw new ValueError(`${who}: expected a PVector, got ${String(v)}`);
    this.layerCollection.assertSame(v.layerCollection, who);
    if (v.dtype !== this.dtype) throw new DTypeError(`${who}: the vector is ${v.dtype} but the map is ${this.dtype}`);
  }
}
