/** NNGeometry's `PMatEye`: a scaled identity. */
import { Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { checkRegul, PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod } from "./pmat-abstract.js";

/**
 * `s I` on a layer collection's parameter space; corresponds to
 * NNGeometry's `PMatEye` (no data, no generator).
 *
 * @example
 * ```ts
 * const prior = new PMatEye(lc, { scaling: 1e-2, dtype: "float64" });
 * prior.vTMv(v);   // 0.01 ‖v‖²
 * ```
 */
export class PMatEye<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly scaling: number;

  constructor(layerCollection: LayerCollection, { scaling = 1, dtype = "float64" as D }: { scaling?: number; dtype?: D } = {}) {
    super(layerCollection, dtype);
    if (!Number.isFinite(scaling)) throw new ValueError(`PMatEye: scaling must be finite, got ${scaling}`);
    this.scaling = scaling;
  }

  get byteLength(): number {
    return 8;
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return x.map((xi) => this.scaling * xi);
  }

  protected diagFlat(): Float64Array {
    return new Float64Array(this.layerCollection.numel()).fill(this.scaling);
  }

  protected denseFlat(): Tensor<"float64"> {
    const p = this.layerCollection.numel();
    const out = new Tensor("float64", [p, p]);
    for (let i = 0; i < p; i++) out.data[i * p + i] = this.scaling;
    return out;
  }

  trace(): number {
    return this.scaling * this.layerCollection.numel();
  }

  protected normOf(ord: MatrixNorm): number {
    return ord === "fro" ? Math.abs(this.scaling) * Math.sqrt(this.layerCollection.numel()) : Math.abs(this.scaling);
  }

  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod): Float64Array {
    if (kind !== "default") unknownSolve("PMatEye", kind, ["default"]);
    return x.map((xi) => xi / (this.scaling + regul));
  }

  /** `(s + regul)⁻¹ I`. */
  inv(regul = 1e-8): PMatEye<D> {
    checkRegul("PMatEye.inv", "regul", regul);
    return new PMatEye(this.layerCollection, { scaling: 1 / (this.scaling + regul), dtype: this.dtype });
  }

  inverse(regul = 1e-8): PMatEye<D> {
    return this.inv(regul);
  }

  /** `s⁻¹ I` if `s > atol`, else 0. */
  pinv(atol = 1e-8): PMatEye<D> {
    checkRegul("PMatEye.pinv", "atol", atol);
    return new PMatEye(this.layerCollection, { scaling: this.scaling > atol ? 1 / this.scaling : 0, dtype: this.dtype });
  }

  scale(s: number): PMatEye<D> {
    return new PMatEye(this.layerCollection, { scaling: s * this.scaling, dtype: this.dtype });
  }
}
