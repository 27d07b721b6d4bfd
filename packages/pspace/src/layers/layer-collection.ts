/**
 * NNGeometry's `LayerCollection`: the layers whose parameters span the
 * parameter space, in module order, each contributing its weight
 * (row-major, PyTorch layout) and then its bias to the flat vector.
 */
import type { Module } from "@curv/autodiff";
import { UnsupportedLayerError } from "@curv/operators";
import { ValueError, sizeOf } from "@curv/tensor";

/** The layer kinds a {@link LayerCollection} knows (the nn modules of @curv/autodiff with parameters). */
export type LayerKind = "Linear" | "Conv2d" | "BatchNorm2d" | "LayerNorm";

const KNOWN_KINDS: readonly LayerKind[] = ["Linear", "Conv2d", "BatchNorm2d", "LayerNorm"];

/** One layer of a {@link LayerCollection}: NNGeometry's `LinearLayer`, `Conv2dLayer`, ... descriptors. */
export interface LayerDescriptor {
  /** The module's dotted name (`"0"`, `"features.3"`): NNGeometry's layer id. */
  readonly id: string;
  readonly kind: LayerKind;
  /** The weight's dotted parameter name and PyTorch shape. */
  readonly weight: { readonly name: string; readonly shape: readonly number[] };
  /** The bias, if the layer has one. */
  readonly bias?: { readonly name: string; readonly shape: readonly number[] };
  /** The layer's number of parameters. */
  readonly numel: number;
}

/**
 * The layers of a model that a parameter-space object covers; corresponds
 * to NNGeometry's `LayerCollection`. Two collections are equal when they hold
 * the same layers (ids, kinds, shapes and bias flags) in the same order.
 *
 * @example
 * ```ts
 * const lc = LayerCollection.fromModel(new Sequential(new Linear(6, 5), new Tanh(), new Linear(5, 4)));
 * lc.ids();                 // ["0", "2"]
 * lc.numel();               // 59
 * lc.getLayerStart("2");    // 35
 * ```
 */
export class LayerCollection {
  readonly layers: readonly LayerDescriptor[];
  readonly #starts: ReadonlyMap<string, number>;
  readonly #numel: number;

  constructor(layers: readonly LayerDescriptor[]) {
    const starts = new Map<string, number>();
    let offset = 0;
    for (const layer of layers) {
      if (starts.has(layer.id)) throw new ValueError(`LayerCollection: layer "${layer.id}" is listed twice`);
      starts.set(layer.id, offset);
      offset += layer.numel;
    }
    this.layers = Object.freeze([...layers]);
    this.#starts = starts;
    this.#numel = offset;
  }

  /**
   * The layers of `model` with parameters, in `namedModules()` order
   * (NNGeometry's `from_model`). A module with parameters of a kind not in
   * {@link LayerKind} is an `UnsupportedLayerError` naming it and its kind,
   * unless `ignoreUnsupportedLayers`.
   */
  static fromModel(model: Module, { ignoreUnsupportedLayers = false }: { ignoreUnsupportedLayers?: boolean } = {}): LayerCollection {
    const layers: LayerDescriptor[] = [];
    for (const [id, module] of model.namedModules()) {
      const prefix = id === "" ? "" : `${id}.`;
      const own = module.namedParameters(id).filter(([full]) => !full.slice(prefix.length).includes("."));
      if (own.length === 0) continue;
      const weight = own.find(([full]) => full === `${prefix}weight`);
      const bias = own.find(([full]) => full === `${prefix}bias`);
      const known = KNOWN_KINDS.includes(module.kind as LayerKind) && weight !== undefined && own.length === (bias === undefined ? 1 : 2);
      if (!known) {
        if (ignoreUnsupportedLayers) continue;
        throw new UnsupportedLayerError(
          `LayerCollection.fromModel: layer "${id}" is a ${module.kind}, which is not supported (supported: ${KNOWN_KINDS.join(", ")}); ` +
            "pass ignoreUnsupportedLayers: true to leave it out",
        );
      }
      layers.push({
        id, kind: module.kind as LayerKind,
        weight: { name: weight[0], shape: [...weight[1].shape] },
        ...(bias === undefined ? {} : { bias: { name: bias[0], shape: [...bias[1].shape] } }),
        numel: sizeOf(weight[1].shape) + (bias === undefined ? 0 : sizeOf(bias[1].shape)),
      });
    }
    return new LayerCollection(layers);
  }

  /** The layer ids, in order. */
  ids(): string[] {
    return this.layers.map((layer) => layer.id);
  }

  /** P, the number of parameters. */
  numel(): number {
    return this.#numel;
  }

  /** The offset of layer `id` in the flat vector (NNGeometry's `p_pos[id]`). */
  getLayerStart(id: string): number {
    this.getLayer(id);
    return this.#starts.get(id) as number;
  }

  /** Layer `id`'s descriptor. */
  getLayer(id: string): LayerDescriptor {
    const layer = this.layers.find((l) => l.id === id);
    if (layer === undefined) throw new ValueError(`LayerCollection: no layer "${id}"; its layers are ${this.ids().map((i) => `"${i}"`).join(", ")}`);
    return layer;
  }

  /** The parameters' dotted names in flat-vector order (each layer's weight, then bias). */
  parameterNames(): string[] {
    return this.layers.flatMap((layer) => [layer.weight.name, ...(layer.bias === undefined ? [] : [layer.bias.name])]);
  }

  /** The layers both collections hold, in this one's order (NNGeometry's `merge`, which is an intersection). */
  merge(other: LayerCollection): LayerCollection {
    const theirs = new Map(other.layers.map((layer) => [layer.id, layer]));
    return new LayerCollection(this.layers.filter((layer) => theirs.has(layer.id) && sameLayer(layer, theirs.get(layer.id) as LayerDescriptor)));
  }

  /** The sub-collection of the layers `ids`, in this collection's order. */
  subset(ids: readonly string[]): LayerCollection {
    for (const id of ids) this.getLayerStart(id);
    return new LayerCollection(this.layers.filter((layer) => ids.includes(layer.id)));
  }

  /** Same layers (ids, kinds, shapes, bias) in the same order. */
  equals(other: LayerCollection): boolean {
    return other === this || (other.layers.length === this.layers.length && this.layers.every((layer, i) => sameLayer(layer, other.layers[i])));
  }

  /** Throws a `ValueError` naming both collections unless `other` equals this one; `who` names the caller. */
  assertSame(other: LayerCollection, who: string): void {
    if (!(other instanceof LayerCollection) || !this.equals(other)) {
      const describe = (lc: unknown) => (lc instanceof LayerCollection ? `[${lc.layers.map((l) => `${l.kind} "${l.id}" (${l.numel})`).join(", ")}]` : String(lc));
      throw new ValueError(`${who}: the layer collections differ: ${describe(this)} vs ${describe(other)}`);
    }
  }

  /** Throws an `UnsupportedLayerError` naming the first layer whose kind is not in `kinds`; `who` names the representation. */
  assertKinds(kinds: readonly LayerKind[], who: string): void {
    const layer = this.layers.find((l) => !kinds.includes(l.kind));
    if (layer !== undefined) {
      throw new UnsupportedLayerError(`${who}: layer "${layer.id}" is a ${layer.kind}; ${who} supports the layer kinds ${kinds.join(", ")} (use PMatMixed or PMatEKFACBlockDiag for the others)`);
    }
  }
}

function sameLayer(a: LayerDescriptor, b: LayerDescriptor): boolean {
  const sameShape = (x?: { shape: readonly number[] }, y?: { shape: readonly number[] }) =>
    x === undefined ? y === undefined : y !== undefined && x.shape.length === y.shape.length && x.shape.every((d, i) => d === y.shape[i]);
  return a.id === b.id && a.kind === b.kind && sameShape(a.weight, b.weight) && sameShape(a.bias, b.bias);
}
