/** NNGeometry's `PMatQuasiDiag` (Ollivier 2015): the diagonal plus each output neuron's weight–bias couplings. */
import { Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { visitSquareRootRows, type FisherSource } from "../helpers/fisher-source.js";
import { matrix } from "../linalg/matrix.js";
import { kroneckerShape, type KroneckerShape } from "./kronecker-layout.js";
import { KRONECKER_KINDS } from "./pmat-kfac.js";
import { PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod } from "./pmat-abstract.js";

/** One layer's quasi-diagonal data: the diagonal `[numel]` and, with a bias, the couplings `[d_out, D_in]`. */
export interface QuasiDiagLayer {
  readonly diag: Float64Array;
  readonly cross?: Float64Array;
}

/**
 * The quasi-diagonal matrix of Ollivier (2015): the diagonal `(1/n) Σ g²`
 * plus, for each output neuron (row of a Linear weight, output channel of
 * a Conv2d), the entries between its weights and its bias,
 * `cross[o, j] = (1/n) Σ g_W[o, j] g_b[o]`; corresponds to NNGeometry's
 * `PMatQuasiDiag`. `solve` eliminates each neuron's arrowhead system by
 * its Schur complement. Only `norm("fro")` exists, as in NNGeometry.
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatQuasiDiag });
 * F.solve(gradient, { regul: 1e-8 });
 * ```
 */
export class PMatQuasiDiag<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly #layers: ReadonlyMap<string, QuasiDiagLayer>;
  readonly #shapes: ReadonlyMap<string, KroneckerShape>;

  constructor(layerCollection: LayerCollection, layers: ReadonlyMap<string, QuasiDiagLayer>, dtype: D) {
    super(layerCollection, dtype);
    layerCollection.assertKinds(KRONECKER_KINDS, "PMatQuasiDiag");
    const shapes = new Map<string, KroneckerShape>();
    for (const layer of layerCollection.layers) {
      const shape = kroneckerShape(layer);
      const data = layers.get(layer.id);
      const crossSize = shape.hasBias ? shape.sG * shape.inFeatures : 0;
      if (data === undefined || data.diag.length !== layer.numel || (data.cross?.length ?? 0) !== crossSize) {
        throw new ValueError(`PMatQuasiDiag: layer "${layer.id}" needs a diagonal of ${layer.numel} entries${shape.hasBias ? ` and ${crossSize} couplings` : ""}`);
      }
      shapes.set(layer.id, shape);
    }
    this.#layers = layers;
    this.#shapes = shapes;
  }

  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatQuasiDiag<D>> {
    const lc = source.layerCollection;
    lc.assertKinds(KRONECKER_KINDS, "PMatQuasiDiag");
    const layers = new Map<string, { diag: Float64Array; cross?: Float64Array }>();
    for (const layer of lc.layers) {
      const shape = kroneckerShape(layer);
      layers.set(layer.id, { diag: new Float64Array(layer.numel), ...(shape.hasBias ? { cross: new Float64Array(shape.sG * shape.inFeatures) } : {}) });
    }
    const p = lc.numel();
    await visitSquareRootRows(source, (rows, examples, outputs) => {
      for (let r = 0; r < examples * outputs; r++) {
        for (const layer of lc.layers) {
          const start = r * p + lc.getLayerStart(layer.id);
          const shape = kroneckerShape(layer);
          const { diag, cross } = layers.get(layer.id) as QuasiDiagLayer;
          for (let j = 0; j < layer.numel; j++) diag[j] += rows[start + j] ** 2;
          if (cross === undefined) continue;
          const biasStart = start + shape.sG * shape.inFeatures;
          for (let o = 0; o < shape.sG; o++) {
            const gb = rows[biasStart + o];
            for (let j = 0; j < shape.inFeatures; j++) cross[o * shape.inFeatures + j] += rows[start + o * shape.inFeatures + j] * gb;
          }
        }
      }
    });
    return new PMatQuasiDiag(lc, layers, source.dtype as D);
  }

  get byteLength(): number {
    return [...this.#layers.values()].reduce((n, l) => n + l.diag.byteLength + (l.cross?.byteLength ?? 0), 0);
  }

  /** Layer `id`'s diagonal and couplings (copies). */
  getLayerData(id: string): QuasiDiagLayer {
    this.layerCollection.getLayer(id);
    const { diag, cross } = this.#layers.get(id) as QuasiDiagLayer;
    return { diag: diag.slice(), ...(cross === undefined ? {} : { cross: cross.slice() }) };
  }

  /** `f(layer data, shape, the layer's slice of x, its start)` per layer, writing into one output. */
  private eachLayer(x: Float64Array, f: (data: QuasiDiagLayer, shape: KroneckerShape, part: Float64Array, out: Float64Array) => void): Float64Array {
    const out = new Float64Array(x.length);
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      f(this.#layers.get(layer.id) as QuasiDiagLayer, this.#shapes.get(layer.id) as KroneckerShape, x.subarray(start, start + layer.numel), out.subarray(start, start + layer.numel));
    }
    return out;
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return this.eachLayer(x, ({ diag, cross }, shape, v, out) => {
      for (let j = 0; j < v.length; j++) out[j] = diag[j] * v[j];
      if (cross === undefined) return;
      const w = shape.sG * shape.inFeatures;
      for (let o = 0; o < shape.sG; o++) {
        for (let j = 0; j < shape.inFeatures; j++) {
          const c = cross[o * shape.inFeatures + j];
          out[o * shape.inFeatures + j] += c * v[w + o];
          out[w + o] += c * v[o * shape.inFeatures + j];
        }
      }
    });
  }

  protected diagFlat(): Float64Array {
    return this.eachLayer(new Float64Array(this.layerCollection.numel()), ({ diag }, _, __, out) => out.set(diag));
  }

  protected denseFlat(): Tensor<"float64"> {
    const p = this.layerCollection.numel();
    const out = matrix(p, p);
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      const shape = this.#shapes.get(layer.id) as KroneckerShape;
      const { diag, cross } = this.#layers.get(layer.id) as QuasiDiagLayer;
      diag.forEach((d, j) => (out.data[(start + j) * p + start + j] = d));
      if (cross === undefined) continue;
      const bias = start + shape.sG * shape.inFeatures;
      for (let o = 0; o < shape.sG; o++) {
        for (let j = 0; j < shape.inFeatures; j++) {
          const w = start + o * shape.inFeatures + j;
          out.data[w * p + bias + o] = cross[o * shape.inFeatures + j];
          out.data[(bias + o) * p + w] = cross[o * shape.inFeatures + j];
        }
      }
    }
    return out;
  }

  trace(): number {
    return [...this.#layers.values()].reduce((t, l) => t + l.diag.reduce((a, b) => a + b, 0), 0);
  }

  /** `√(Σ diag² + 2 Σ cross²)`; NNGeometry offers the Frobenius norm only, and so does curv. */
  protected normOf(ord: MatrixNorm): number {
    if (ord !== "fro") throw new ValueError(`PMatQuasiDiag.norm: only "fro" is available (as NNGeometry), got ${ord}`);
    const sum = [...this.#layers.values()].reduce((s, l) => s + l.diag.reduce((a, b) => a + b * b, 0) + 2 * (l.cross?.reduce((a, b) => a + b * b, 0) ?? 0), 0);
    return Math.sqrt(sum);
  }

  /**
   * Per neuron, with `D_w = diag_w + regul` and `d_b = diag_b + regul`:
   * `b = (v_b − Σ c v_w / D_w) / (d_b − Σ c² / D_w)`, `w = (v_w − b c) / D_w`.
   */
  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod): Float64Array {
    if (kind !== "default") unknownSolve("PMatQuasiDiag", kind, ["default"]);
    return this.eachLayer(x, ({ diag, cross }, shape, v, out) => {
      if (cross === undefined) {
        for (let j = 0; j < v.length; j++) out[j] = v[j] / (diag[j] + regul);
        return;
      }
      const w = shape.sG * shape.inFeatures;
      for (let o = 0; o < shape.sG; o++) {
        let numerator = v[w + o];
        let denominator = diag[w + o] + regul;
        for (let j = 0; j < shape.inFeatures; j++) {
          const i = o * shape.inFeatures + j;
          const dw = diag[i] + regul;
          numerator -= (cross[i] * v[i]) / dw;
          denominator -= (cross[i] * cross[i]) / dw;
        }
        const b = numerator / denominator;
        out[w + o] = b;
        for (let j = 0; j < shape.inFeatures; j++) {
          const i = o * shape.inFeatures + j;
          out[i] = (v[i] - b * cross[i]) / (diag[i] + regul);
        }
      }
    });
  }

  /** `s M` (curv adds it; NNGeometry's PMatQuasiDiag has no `rmul`). */
  scale(s: number): PMatQuasiDiag<D> {
    const layers = new Map([...this.#layers].map(([id, { diag, cross }]) => [id, { diag: diag.map((x) => s * x), ...(cross === undefined ? {} : { cross: cross.map((x) => s * x) }) }]));
    return new PMatQuasiDiag(this.layerCollection, layers, this.dtype);
  }
}
