/** NNGeometry's `PMatMixed` and `PMatEKFACBlockDiag`: a representation per group of layers. */
import type { DataSource } from "@curv/operators";
import { Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection, LayerKind } from "../layers/layer-collection.js";
import type { FisherSource } from "../helpers/fisher-source.js";
import type { PMatRepresentation } from "../helpers/fim.js";
import { matrix } from "../linalg/matrix.js";
import { PVector } from "../vector/pvector.js";
import { PMatAbstract, type MatrixNorm, type SolveMethod, type SolveOptions } from "./pmat-abstract.js";
import { PMatBlockDiag } from "./pmat-block-diag.js";
import { PMatEKFAC } from "./pmat-ekfac.js";

/** One group of layers and its representation. */
export interface MixedPart<D extends FloatDType = FloatDType> {
  readonly layerCollection: LayerCollection;
  readonly pmat: PMatAbstract<D>;
}

/** Which representation each layer kind gets; the others get the default. */
export type LayerMapping = Partial<Record<LayerKind, PMatRepresentation<PMatAbstract>>>;

type WithInverse<D extends FloatDType> = PMatAbstract<D> & { inv?(regul: number): PMatAbstract<D>; pinv?(atol: number): PMatAbstract<D>; scale?(s: number): PMatAbstract<D> };

/**
 * A block-diagonal composition of representations, one per group of layers
 * (by default one group per layer kind); corresponds to NNGeometry's
 * `PMatMixed`. `solve` takes a method name, or one per representation
 * `{ PMatEKFAC: "lstsq", ... }` (by class name).
 *
 * Departure (package README): `getDiag()` concatenates the parts' diagonals
 * (NNGeometry raises).
 *
 * @example
 * ```ts
 * const mixed = PMatMixed.representation(PMatBlockDiag, { Linear: PMatKFAC, Conv2d: PMatKFAC });
 * const F = await FIM({ model, loader, representation: mixed });   // BatchNorm layers block-diagonal
 * ```
 */
export class PMatMixed<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly parts: readonly MixedPart<D>[];

  constructor(layerCollection: LayerCollection, parts: readonly MixedPart<D>[], dtype: D) {
    super(layerCollection, dtype);
    const covered = parts.flatMap((part) => part.layerCollection.ids());
    const ids = layerCollection.ids();
    if (covered.length !== ids.length || !ids.every((id) => covered.includes(id))) {
      throw new ValueError(`PMatMixed: the parts must cover the layers ${ids.map((i) => `"${i}"`).join(", ")} once each, they cover ${covered.map((i) => `"${i}"`).join(", ")}`);
    }
    for (const part of parts) part.layerCollection.assertSame(part.pmat.layerCollection, "PMatMixed");
    this.parts = parts;
  }

  /** A representation for {@link FIM}: layers of the kinds in `mapping` get theirs, the others `defaultRepresentation`. */
  static representation(defaultRepresentation: PMatRepresentation<PMatAbstract>, mapping: LayerMapping): PMatRepresentation<PMatMixed> {
    return { name: "PMatMixed", build: (source) => PMatMixed.fromMapping(source, defaultRepresentation, mapping) };
  }

  /** Builds one part per representation on its sub-collection (NNGeometry's `from_mapping`). */
  static async fromMapping<D extends FloatDType>(source: FisherSource, defaultRepresentation: PMatRepresentation<PMatAbstract>, mapping: LayerMapping): Promise<PMatMixed<D>> {
    const lc = source.layerCollection;
    const groups = new Map<PMatRepresentation<PMatAbstract>, string[]>();
    for (const layer of lc.layers) {
      const representation = mapping[layer.kind] ?? defaultRepresentation;
      groups.set(representation, [...(groups.get(representation) ?? []), layer.id]);
    }
    const parts: MixedPart<D>[] = [];
    for (const [representation, ids] of groups) {
      const sub = lc.subset(ids);
      parts.push({ layerCollection: sub, pmat: (await representation.build({ ...source, layerCollection: sub })) as PMatAbstract<D> });
    }
    return new PMatMixed(lc, parts, source.dtype as D);
  }

  get byteLength(): number {
    return this.parts.reduce((n, part) => n + part.pmat.byteLength, 0);
  }

  /** The flat positions of a part's parameters in the whole vector. */
  private positions(part: MixedPart<D>): Int32Array {
    const out = new Int32Array(part.layerCollection.numel());
    let k = 0;
    for (const layer of part.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      for (let j = 0; j < layer.numel; j++) out[k++] = start + j;
    }
    return out;
  }

  private subVector(part: MixedPart<D>, x: Float64Array): PVector<D> {
    const positions = this.positions(part);
    const values = new Tensor("float64", [positions.length], Float64Array.from(positions, (i) => x[i])).astype(this.dtype);
    return PVector.fromFlat(part.layerCollection, values);
  }

  private eachPart(x: Float64Array, f: (part: MixedPart<D>, v: PVector<D>) => PVector<D>): Float64Array {
    const out = new Float64Array(x.length);
    for (const part of this.parts) {
      const result = f(part, this.subVector(part, x)).toFloat64();
      this.positions(part).forEach((position, i) => (out[position] = result[i]));
    }
    return out;
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return this.eachPart(x, (part, v) => part.pmat.mv(v));
  }

  protected override vTMvFlat(x: Float64Array): number {
    return this.parts.reduce((s, part) => s + part.pmat.vTMv(this.subVector(part, x)), 0);
  }

  protected diagFlat(): Float64Array {
    const out = new Float64Array(this.layerCollection.numel());
    for (const part of this.parts) {
      const d = part.pmat.getDiag().data as ArrayLike<number>;
      this.positions(part).forEach((position, i) => (out[position] = d[i]));
    }
    return out;
  }

  protected denseFlat(): Tensor<"float64"> {
    const p = this.layerCollection.numel();
    const out = matrix(p, p);
    for (const part of this.parts) {
      const positions = this.positions(part);
      const block = part.pmat.toDense().data as ArrayLike<number>;
      const n = positions.length;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[positions[i] * p + positions[j]] = block[i * n + j];
    }
    return out;
  }

  trace(): number {
    return this.parts.reduce((t, part) => t + part.pmat.trace(), 0);
  }

  protected normOf(ord: MatrixNorm): number {
    const norms = this.parts.map((part) => part.pmat.norm(ord));
    if (ord === "fro") return Math.sqrt(norms.reduce((s, n) => s + n * n, 0));
    return ord === 2 ? Math.max(...norms) : Math.min(...norms);
  }

  /** `solve`'s method is one for every part, or `{ ClassName: method }` per representation (NNGeometry's dict dispatch). */
  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod, options: SolveOptions): Float64Array {
    return this.eachPart(x, (part, v) => {
      const method = typeof kind === "object" && kind !== null ? ((kind as Record<string, string>)[part.pmat.constructor.name] ?? "default") : kind;
      return part.pmat.solve(v, { ...options, regul, solve: method });
    });
  }

  private mapParts(method: "inv" | "pinv" | "scale", argument: number): PMatMixed<D> {
    return new PMatMixed(this.layerCollection, this.parts.map((part) => {
      const pmat = part.pmat as WithInverse<D>;
      const f = pmat[method];
      if (typeof f !== "function") throw new ValueError(`PMatMixed.${method}: the part ${pmat.constructor.name} has no ${method}`);
      return { layerCollection: part.layerCollection, pmat: f.call(pmat, argument) };
    }), this.dtype);
  }

  /** Each part's `inv(regul)`. */
  inv(regul = 1e-8): PMatMixed<D> {
    return this.mapParts("inv", regul);
  }

  inverse(regul = 1e-8): PMatMixed<D> {
    return this.inv(regul);
  }

  /** Each part's `pinv(atol)` (every part must have one). */
  pinv(atol = 1e-8): PMatMixed<D> {
    return this.mapParts("pinv", atol);
  }

  scale(s: number): PMatMixed<D> {
    return this.mapParts("scale", s);
  }

  /** `updateDiag` of every EKFAC part. */
  async updateDiag(examples?: DataSource): Promise<void> {
    for (const part of this.parts) if (part.pmat instanceof PMatEKFAC) await part.pmat.updateDiag(examples);
  }
}

/**
 * EKFAC for the Linear and Conv2d layers, block-diagonal for the others
 * (BatchNorm2d, LayerNorm); corresponds to NNGeometry's `PMatEKFACBlockDiag`.
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatEKFACBlockDiag });
 * await F.updateDiag();
 * ```
 */
export class PMatEKFACBlockDiag<D extends FloatDType = FloatDType> extends PMatMixed<D> {
  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatEKFACBlockDiag<D>> {
    const mixed = await PMatMixed.fromMapping<D>(source, PMatBlockDiag, { Linear: PMatEKFAC, Conv2d: PMatEKFAC });
    return new PMatEKFACBlockDiag(mixed.layerCollection, mixed.parts, mixed.dtype);
  }
}
