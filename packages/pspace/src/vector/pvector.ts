/**
 * NNGeometry's `PVector`: a vector in parameter space, tied to a
 * {@link LayerCollection}, stored flat (the layers' weights and biases
 * concatenated, row-major) in the model's dtype.
 */
import type { Module } from "@curv/autodiff";
import { DTypeError, Generator, ShapeError, Tensor, ValueError, formatShape, isFloat, sizeOf, type FloatDType } from "@curv/tensor";
import { LayerCollection } from "../layers/layer-collection.js";

/** A layer's part of a vector: `[weight]` or `[weight, bias]` in their PyTorch shapes (NNGeometry's `dict_repr`). */
export type LayerParts<D extends FloatDType = FloatDType> = readonly [Tensor<D>] | readonly [Tensor<D>, Tensor<D>];

/**
 * A vector in the parameter space of a {@link LayerCollection}; corresponds
 * to NNGeometry's `PVector`. Immutable: arithmetic returns new vectors.
 * Operations between two vectors require equal layer collections and dtypes
 * (a `ValueError` / `DTypeError` otherwise, never a silent broadcast).
 *
 * @example
 * ```ts
 * const w0 = PVector.fromModel(model);               // a copy of the current parameters
 * // ... train ...
 * const dw = PVector.fromModel(model).sub(w0);
 * const penalty = fisher.vTMv(dw);                   // EWC
 * dw.norm(); dw.dot(dw); dw.scale(0.5).toDict()["0"]; // [W, b]
 * ```
 */
export class PVector<D extends FloatDType = FloatDType> {
  readonly layerCollection: LayerCollection;
  readonly #flat: Tensor<D>;

  /** Wraps a flat `[P]` tensor (copied). */
  constructor(layerCollection: LayerCollection, flat: Tensor<D>) {
    if (!(flat instanceof Tensor) || !isFloat(flat.dtype)) throw new DTypeError(`PVector: the flat vector must be a float32 or float64 Tensor, got ${flat instanceof Tensor ? flat.dtype : String(flat)}`);
    const p = layerCollection.numel();
    if (flat.ndim !== 1 || flat.shape[0] !== p) throw new ShapeError(`PVector: the flat vector must have shape [${p}] (the layer collection's P), got ${formatShape(flat.shape)}`);
    this.layerCollection = layerCollection;
    this.#flat = flat.clone();
  }

  /** NNGeometry's `PVector(lc, vector_repr=...)`. */
  static fromFlat<D extends FloatDType>(layerCollection: LayerCollection, flat: Tensor<D>): PVector<D> {
    return new PVector(layerCollection, flat);
  }

  /** From the dict form `{layerId: [W] | [W, b]}` (NNGeometry's `dict_repr`); every layer must be given, in its PyTorch shapes. */
  static fromDict<D extends FloatDType>(layerCollection: LayerCollection, parts: Readonly<Record<string, LayerParts<D>>>): PVector<D> {
    const first = parts[layerCollection.layers[0]?.id]?.[0];
    if (first === undefined) throw new ValueError(`PVector.fromDict: no parts for layer "${layerCollection.layers[0]?.id}"`);
    const flat = new Tensor(first.dtype, [layerCollection.numel()]);
    for (const layer of layerCollection.layers) {
      const given = parts[layer.id];
      const expected = [layer.weight, ...(layer.bias === undefined ? [] : [layer.bias])];
      if (given === undefined || given.length !== expected.length) {
        throw new ValueError(`PVector.fromDict: layer "${layer.id}" needs ${expected.length === 1 ? "[weight]" : "[weight, bias]"}, got ${given === undefined ? "nothing" : `${given.length} tensors`}`);
      }
      let offset = layerCollection.getLayerStart(layer.id);
      expected.forEach((param, i) => {
        const t = given[i];
        if (t.dtype !== first.dtype) throw new DTypeError(`PVector.fromDict: "${param.name}" is ${t.dtype} but the first part is ${first.dtype}`);
        if (t.shape.length !== param.shape.length || t.shape.some((d, j) => d !== param.shape[j])) {
          throw new ShapeError(`PVector.fromDict: "${param.name}" must have shape ${formatShape(param.shape)}, got ${formatShape(t.shape)}`);
        }
        flat.data.set(t.data as ArrayLike<number> as never, offset);
        offset += t.size;
      });
    }
    return new PVector(layerCollection, flat);
  }

  /** A copy of `model`'s current parameters (NNGeometry's `from_model`, which holds live tensors: here a snapshot). */
  static fromModel<D extends FloatDType = FloatDType>(model: Module, layerCollection?: LayerCollection): PVector<D> {
    const lc = layerCollection ?? LayerCollection.fromModel(model);
    const values = new Map(model.namedParameters());
    const parts: Record<string, Tensor<D>[]> = {};
    for (const layer of lc.layers) {
      const names = [layer.weight.name, ...(layer.bias === undefined ? [] : [layer.bias.name])];
      parts[layer.id] = names.map((name) => {
        const t = values.get(name);
        if (t === undefined) throw new ValueError(`PVector.fromModel: the model has no parameter "${name}" of layer "${layer.id}"`);
        return t as Tensor<D>;
      });
    }
    return PVector.fromDict(lc, parts as unknown as Record<string, LayerParts<D>>);
  }

  /** A random normal vector (NNGeometry's `random_pvector`), from a seeded generator. */
  static random<D extends FloatDType = "float64">(layerCollection: LayerCollection, generator: Generator, dtype: D = "float64" as D): PVector<D> {
    return new PVector(layerCollection, generator.normal([layerCollection.numel()], { dtype }));
  }

  get dtype(): D {
    return this.#flat.dtype;
  }

  /** `[P]` (NNGeometry's `size()`). */
  size(): [number] {
    return [this.#flat.shape[0]];
  }

  /** The flat vector (a copy); NNGeometry's `to_torch`. */
  toFlat(): Tensor<D> {
    return this.#flat.clone();
  }

  /** The flat entries as float64 (a copy). */
  toFloat64(): Float64Array {
    return Float64Array.from(this.#flat.data as ArrayLike<number>);
  }

  /** Layer `id`'s `[W]` or `[W, b]` in their PyTorch shapes (NNGeometry's `to_torch_layer`). */
  getLayer(id: string): LayerParts<D> {
    const layer = this.layerCollection.getLayer(id);
    let offset = this.layerCollection.getLayerStart(id);
    const parts = [layer.weight, ...(layer.bias === undefined ? [] : [layer.bias])].map((param) => {
      const size = sizeOf(param.shape);
      const t = new Tensor(this.dtype, [...param.shape], this.#flat.data.slice(offset, offset + size) as never);
      offset += size;
      return t;
    });
    return parts as unknown as LayerParts<D>;
  }

  /** `{layerId: [W] | [W, b]}` (NNGeometry's `to_dict`). */
  toDict(): Record<string, LayerParts<D>> {
    return Object.fromEntries(this.layerCollection.ids().map((id) => [id, this.getLayer(id)]));
  }

  /** `(Σ |xᵢ|^p)^{1/p}`, p = 2 by default (NNGeometry's dict form forgets the absolute value; here it is always taken). */
  norm(p = 2): number {
    if (!(p > 0)) throw new ValueError(`PVector.norm: p must be positive, got ${p}`);
    let sum = 0;
    for (const x of this.#flat.data as Iterable<number>) sum += Math.abs(x) ** p;
    return sum ** (1 / p);
  }

  /** `⟨this, other⟩` (NNGeometry's `dot` and `@`). */
  dot(other: PVector<D>): number {
    this.assertCompatible(other, "PVector.dot");
    const a = this.#flat.data as ArrayLike<number>;
    const b = other.#flat.data as ArrayLike<number>;
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
    return sum;
  }

  add(other: PVector<D>): PVector<D> {
    this.assertCompatible(other, "PVector.add");
    return this.map((x, i) => x + (other.#flat.data[i] as number));
  }

  sub(other: PVector<D>): PVector<D> {
    this.assertCompatible(other, "PVector.sub");
    return this.map((x, i) => x - (other.#flat.data[i] as number));
  }

  /** `s · this` (NNGeometry's `__rmul__`). */
  scale(s: number): PVector<D> {
    if (!Number.isFinite(s)) throw new ValueError(`PVector.scale: the scalar must be finite, got ${s}`);
    return this.map((x) => s * x);
  }

  neg(): PVector<D> {
    return this.scale(-1);
  }

  /** Elementwise power (NNGeometry's `__pow__`). */
  pow(p: number): PVector<D> {
    return this.map((x) => x ** p);
  }

  clone(): PVector<D> {
    return new PVector(this.layerCollection, this.#flat);
  }

  /** Writes this vector into `model`'s parameters (NNGeometry's `copy_to_model`). */
  copyToModel(model: Module): void {
    const dict: Record<string, Tensor> = {};
    for (const layer of this.layerCollection.layers) {
      const [w, b] = this.getLayer(layer.id);
      dict[layer.weight.name] = w;
      if (layer.bias !== undefined) dict[layer.bias.name] = b as Tensor;
    }
    model.loadStateDict(dict, { strict: false });
  }

  /** Adds this vector to `model`'s parameters (NNGeometry's `add_to_model`). */
  addToModel(model: Module): void {
    PVector.fromModel<D>(model, this.layerCollection).add(this.astype(this.dtype)).copyToModel(model);
  }

  /** This vector in another dtype. */
  astype<E extends FloatDType>(dtype: E): PVector<E> {
    return new PVector(this.layerCollection, this.#flat.astype(dtype));
  }

  /** A vector of the same collection and dtype from float64 entries. */
  withValues(values: ArrayLike<number>): PVector<D> {
    const out = new Tensor(this.dtype, [values.length]);
    for (let i = 0; i < values.length; i++) out.data[i] = values[i];
    return new PVector(this.layerCollection, out);
  }

  /** Throws unless `other` is a PVector of the same layer collection and dtype. */
  assertCompatible(other: PVector, who: string): void {
    if (!(other instanceof PVector)) throw new ValueError(`${who}: expected a PVector, got ${String(other)}`);
    this.layerCollection.assertSame(other.layerCollection, who);
    if (other.dtype !== this.dtype) throw new DTypeError(`${who}: the vectors' dtypes differ: ${this.dtype} vs ${other.dtype}`);
  }

  private map(f: (x: number, i: number) => number): PVector<D> {
    const out = new Tensor(this.dtype, [this.#flat.shape[0]]);
    const data = this.#flat.data as ArrayLike<number>;
    for (let i = 0; i < data.length; i++) out.data[i] = f(data[i], i);
    return new PVector(this.layerCollection, out);
  }
}

/** A float64 PVector from raw entries. */
export function pvectorOf<D extends FloatDType>(layerCollection: LayerCollection, values: ArrayLike<number>, dtype: D): PVector<D> {
  const out = new Tensor(dtype, [values.length]);
  for (let i = 0; i < values.length; i++) out.data[i] = values[i];
  return new PVector(layerCollection, out);
}
