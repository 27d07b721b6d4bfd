/** NNGeometry's `PMatDiag`: the diagonal of the matrix. */
import { Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { fisherDiagonal, type FisherSource } from "../helpers/fisher-source.js";
import { checkRegul, PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod } from "./pmat-abstract.js";
import { powerOf } from "./pmat-dense.js";

/**
 * The diagonal `(1/n) Σ g²`; corresponds to NNGeometry's `PMatDiag`. Built
 * by @curv/operators' `GGNDiagonalLinearOperator` (one per-example pass).
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatDiag });
 * const ewcPenalty = F.vTMv(PVector.fromModel(model).sub(w0));
 * ```
 */
export class PMatDiag<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly #diag: Float64Array;

  constructor(layerCollection: LayerCollection, diagonal: Tensor | Float64Array, dtype?: D) {
    const values = diagonal instanceof Tensor ? Float64Array.from(diagonal.data as ArrayLike<number>) : diagonal.slice();
    super(layerCollection, (dtype ?? (diagonal instanceof Tensor ? diagonal.dtype : "float64")) as D);
    if (values.length !== layerCollection.numel()) throw new ValueError(`PMatDiag: the diagonal must have ${layerCollection.numel()} entries, got ${values.length}`);
    this.#diag = values;
  }

  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatDiag<D>> {
    return new PMatDiag(source.layerCollection, await fisherDiagonal(source), source.dtype as D);
  }

  get byteLength(): number {
    return this.#diag.byteLength;
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return x.map((xi, i) => this.#diag[i] * xi);
  }

  protected diagFlat(): Float64Array {
    return this.#diag.slice();
  }

  protected denseFlat(): Tensor<"float64"> {
    const p = this.#diag.length;
    const out = new Tensor("float64", [p, p]);
    for (let i = 0; i < p; i++) out.data[i * p + i] = this.#diag[i];
    return out;
  }

  trace(): number {
    return this.#diag.reduce((a, b) => a + b, 0);
  }

  protected normOf(ord: MatrixNorm): number {
    if (ord === "fro") return Math.sqrt(this.#diag.reduce((a, b) => a + b * b, 0));
    const abs = Array.from(this.#diag, Math.abs);
    return ord === 2 ? Math.max(...abs) : Math.min(...abs);
  }

  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod): Float64Array {
    if (kind !== "default") unknownSolve("PMatDiag", kind, ["default"]);
    return x.map((xi, i) => xi / (this.#diag[i] + regul));
  }

  /** `(M + regul·I)⁻¹`. */
  inv(regul = 1e-8): PMatDiag<D> {
    checkRegul("PMatDiag.inv", "regul", regul);
    return this.withDiag(this.#diag.map((d) => 1 / (d + regul)));
  }

  inverse(regul = 1e-8): PMatDiag<D> {
    return this.inv(regul);
  }

  /** Entries at most `atol` in absolute value become 0, the others their inverse. */
  pinv(atol = 1e-8): PMatDiag<D> {
    checkRegul("PMatDiag.pinv", "atol", atol);
    return this.withDiag(this.#diag.map((d) => (Math.abs(d) <= atol ? 0 : 1 / d)));
  }

  /** `(M + regul·I)^p`. */
  pow(p: number, { regul = 0 }: { regul?: number } = {}): PMatDiag<D> {
    checkRegul("PMatDiag.pow", "regul", regul);
    return this.withDiag(this.#diag.map((d) => powerOf(d + regul, p, "PMatDiag.pow")));
  }

  add(other: PMatDiag<D>): PMatDiag<D> {
    this.assertSameKind(other, "add");
    return this.withDiag(this.#diag.map((d, i) => d + other.#diag[i]));
  }

  sub(other: PMatDiag<D>): PMatDiag<D> {
    this.assertSameKind(other, "sub");
    return this.withDiag(this.#diag.map((d, i) => d - other.#diag[i]));
  }

  scale(s: number): PMatDiag<D> {
    return this.withDiag(this.#diag.map((d) => s * d));
  }

  /** The elementwise product (NNGeometry's `mm`). */
  mm(other: PMatDiag<D>): PMatDiag<D> {
    this.assertSameKind(other, "mm");
    return this.withDiag(this.#diag.map((d, i) => d * other.#diag[i]));
  }

  private withDiag(values: Float64Array): PMatDiag<D> {
    return new PMatDiag(this.layerCollection, values, this.dtype);
  }
}
