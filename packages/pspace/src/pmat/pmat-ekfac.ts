/** NNGeometry's `PMatEKFAC`: KFAC's eigenbasis with its own eigenvalues. */
import type { KFACLayerFactors } from "@curv/operators";
import { eigh, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { DataSource } from "@curv/operators";
import type { LayerCollection } from "../layers/layer-collection.js";
import { ekfacEigendecomposition, kroneckerFactors, type FisherSource } from "../helpers/fisher-source.js";
import { fromEigen, kron, matrix, mm, symmetrize, type Matrix } from "../linalg/matrix.js";
import { denseKroneckerBlocks, fromJoint, kroneckerShape, splitIndex, toJoint, type KroneckerShape } from "./kronecker-layout.js";
import { KRONECKER_KINDS } from "./pmat-kfac.js";
import { checkRegul, PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod } from "./pmat-abstract.js";
import { powerOf } from "./pmat-dense.js";

/** One layer's Kronecker-factored eigenbasis `U_G ⊗ U_A` and eigenvalues Λ `[sG·sA]` (row-major over (g, a)). */
export interface KroneckerEigenbasis {
  readonly UA: Tensor<"float64">;
  readonly UG: Tensor<"float64">;
  readonly eigenvalues: Float64Array;
}

/**
 * EKFAC (George, Laurent et al. 2018): per Linear or Conv2d layer the block
 * `(U_G ⊗ U_A) diag(Λ) (U_G ⊗ U_A)ᵀ`; corresponds to NNGeometry's
 * `PMatEKFAC`. As built by {@link FIM} the eigenvalues are KFAC's
 * (`Λ = λ_G ⊗ λ_A`, {@link PMatEKFAC.hasKFACCoefficients} true) until
 * {@link PMatEKFAC.updateDiag} replaces them by the exact second moments of
 * the per-example gradients in the Kronecker-factored eigenbasis, computed
 * by @curv/operators' `EKFACLinearOperator` on the same eigenbasis.
 *
 * Departures (package README): `getDiag()` returns the diagonal
 * (NNGeometry's needs an argument); `pow(p)` adds `regul` only when asked,
 * by default 0 for p > 0 and 1e-8 otherwise (NNGeometry adds 1e-8 always).
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatEKFAC });
 * await F.updateDiag(loader);           // eigenvalue correction
 * F.solve(gradient, { regul: 1e-3 });   // exact (M + regul·I)⁻¹ g
 * ```
 */
export class PMatEKFAC<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  #bases: ReadonlyMap<string, KroneckerEigenbasis>;
  #kfacCoefficients: boolean;
  readonly #shapes: ReadonlyMap<string, KroneckerShape>;
  /** The source and KFAC factors `updateDiag` needs (absent for a matrix made from data). */
  readonly #origin: { source: FisherSource; raw: Record<string, KFACLayerFactors> } | undefined;

  constructor(
    layerCollection: LayerCollection, bases: ReadonlyMap<string, KroneckerEigenbasis>, dtype: D,
    { kfacCoefficients = false, origin }: { kfacCoefficients?: boolean; origin?: { source: FisherSource; raw: Record<string, KFACLayerFactors> } } = {},
  ) {
    super(layerCollection, dtype);
    layerCollection.assertKinds(KRONECKER_KINDS, "PMatEKFAC");
    const shapes = new Map<string, KroneckerShape>();
    for (const layer of layerCollection.layers) {
      const shape = kroneckerShape(layer);
      const b = bases.get(layer.id);
      if (b === undefined || b.UA.shape[0] !== shape.sA || b.UG.shape[0] !== shape.sG || b.eigenvalues.length !== shape.sA * shape.sG) {
        throw new ValueError(`PMatEKFAC: layer "${layer.id}" needs U_A [${shape.sA}, ${shape.sA}], U_G [${shape.sG}, ${shape.sG}] and ${shape.sA * shape.sG} eigenvalues`);
      }
      shapes.set(layer.id, shape);
    }
    this.#bases = bases;
    this.#shapes = shapes;
    this.#kfacCoefficients = kfacCoefficients;
    this.#origin = origin;
  }

  /** KFAC's factors' eigendecompositions, with KFAC's eigenvalues. */
  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatEKFAC<D>> {
    source.layerCollection.assertKinds(KRONECKER_KINDS, "PMatEKFAC");
    const { raw } = await kroneckerFactors(source);
    const bases = new Map<string, KroneckerEigenbasis>();
    for (const layer of source.layerCollection.layers) {
      // The eigenbases of the operator's own factors, as EKFACLinearOperator computes them (updateDiag keeps them).
      const a = eigh(raw[layer.id].inputCovariance as Tensor<"float64">);
      const g = eigh(raw[layer.id].gradientCovariance as Tensor<"float64">);
      const scale = source.scale;
      const { sA } = kroneckerShape(layer);
      const eigenvalues = new Float64Array(g.eigenvalues.size * sA);
      for (let i = 0; i < g.eigenvalues.size; i++) for (let j = 0; j < sA; j++) eigenvalues[i * sA + j] = scale * g.eigenvalues.data[i] * a.eigenvalues.data[j];
      bases.set(layer.id, { UA: a.eigenvectors, UG: g.eigenvectors, eigenvalues });
    }
    return new PMatEKFAC(source.layerCollection, bases, source.dtype as D, { kfacCoefficients: true, origin: { source, raw } });
  }

  /** True while the eigenvalues are KFAC's (before {@link PMatEKFAC.updateDiag}); NNGeometry warns in that state. */
  get hasKFACCoefficients(): boolean {
    return this.#kfacCoefficients;
  }

  /**
   * Replaces the eigenvalues by the second moments of the per-example
   * gradients of `examples` (default the data it was built from) in the kept
   * eigenbasis, at the model's current parameters (NNGeometry's
   * `update_diag`). The matrix changes only once the new values are computed.
   */
  async updateDiag(examples?: DataSource): Promise<void> {
    if (this.#origin === undefined) throw new ValueError("PMatEKFAC.updateDiag: this matrix was made from data, not by FIM; it has no model and loss to update from");
    const origin = this.#origin.source;
    // New examples are counted afresh: a numData given for the original loader does not hold for them.
    const { numData: _, ...options } = origin.options;
    const source = examples === undefined ? origin : { ...origin, loader: examples, options };
    const decomposition = await ekfacEigendecomposition(source, this.#origin.raw);
    const bases = new Map<string, KroneckerEigenbasis>();
    for (const [id, basis] of this.#bases) bases.set(id, { ...basis, eigenvalues: (decomposition.get(id)?.eigenvalues as Tensor<"float64">).data.slice() });
    this.#bases = bases;
    this.#kfacCoefficients = false;
  }

  get byteLength(): number {
    return [...this.#bases.values()].reduce((n, b) => n + b.UA.data.byteLength + b.UG.data.byteLength + b.eigenvalues.byteLength, 0);
  }

  /** Layer `id`'s eigenbasis and eigenvalues (copies). */
  getEigenbasis(id: string): KroneckerEigenbasis {
    this.layerCollection.getLayer(id);
    const b = this.#bases.get(id) as KroneckerEigenbasis;
    return { UA: b.UA.clone(), UG: b.UG.clone(), eigenvalues: b.eigenvalues.slice() };
  }

  /** Applies `f` to each layer's KFE coordinates `Ṽ = U_Gᵀ V U_A` and maps back. */
  private inEigenbasis(x: Float64Array, f: (coordinates: Matrix, basis: KroneckerEigenbasis) => Matrix): Float64Array {
    const out = new Float64Array(x.length);
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      const shape = this.#shapes.get(layer.id) as KroneckerShape;
      const basis = this.#bases.get(layer.id) as KroneckerEigenbasis;
      const coordinates = mm(mm(basis.UG, toJoint(shape, x.subarray(start, start + layer.numel)), { transA: true }), basis.UA);
      out.set(fromJoint(shape, mm(mm(basis.UG, f(coordinates, basis)), basis.UA, { transB: true })), start);
    }
    return out;
  }

  private scaledCoordinates(x: Float64Array, g: (lambda: number, c: number) => number): Float64Array {
    return this.inEigenbasis(x, (c, { eigenvalues }) => new Tensor("float64", [...c.shape], c.data.map((value, i) => g(eigenvalues[i], value))));
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return this.scaledCoordinates(x, (lambda, c) => lambda * c);
  }

  /** `Σ Λ Ṽ²`. */
  protected override vTMvFlat(x: Float64Array): number {
    let total = 0;
    this.inEigenbasis(x, (c, { eigenvalues }) => {
      c.data.forEach((value, i) => (total += eigenvalues[i] * value * value));
      return c;
    });
    return total;
  }

  /** The exact diagonal, `diag_{(g,a)} = Σ_{ij} U_G[g,i]² Λ_ij U_A[a,j]²` (NNGeometry's `get_diag` needs an argument instead). */
  protected diagFlat(): Float64Array {
    const out = new Float64Array(this.layerCollection.numel());
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      const shape = this.#shapes.get(layer.id) as KroneckerShape;
      const { UA, UG, eigenvalues } = this.#bases.get(layer.id) as KroneckerEigenbasis;
      const square = (m: Matrix) => new Tensor("float64", [...m.shape], m.data.map((x) => x * x));
      const diagonal = mm(mm(square(UG), matrix(shape.sG, shape.sA, eigenvalues)), square(UA), { transB: true });
      for (let o = 0; o < shape.sG; o++) for (let a = 0; a < shape.sA; a++) out[start + splitIndex(shape, o, a)] = diagonal.data[o * shape.sA + a];
    }
    return out;
  }

  protected denseFlat(): Tensor<"float64"> {
    return this.toDenseOrdered(true);
  }

  /** The dense matrix; with `splitWeightBias: false` each block keeps the joint `[W | b]` order. */
  override toDense({ splitWeightBias = true }: { splitWeightBias?: boolean } = {}): Tensor<D> {
    return this.toDenseOrdered(splitWeightBias).astype(this.dtype);
  }

  private toDenseOrdered(split: boolean): Tensor<"float64"> {
    return denseKroneckerBlocks(this.layerCollection, (layer) => {
      const { UA, UG, eigenvalues } = this.#bases.get(layer.id) as KroneckerEigenbasis;
      return { shape: this.#shapes.get(layer.id) as KroneckerShape, joint: symmetrize(fromEigen(eigenvalues, kron(UG, UA))) };
    }, split);
  }

  trace(): number {
    return [...this.#bases.values()].reduce((t, b) => t + b.eigenvalues.reduce((s, l) => s + l, 0), 0);
  }

  protected normOf(ord: MatrixNorm): number {
    const all = [...this.#bases.values()].flatMap((b) => Array.from(b.eigenvalues));
    if (ord === "fro") return Math.sqrt(all.reduce((s, l) => s + l * l, 0));
    const abs = all.map(Math.abs);
    return ord === 2 ? Math.max(...abs) : Math.min(...abs);
  }

  /** `"default"`: `Ṽ/(Λ + regul)`; `"lstsq"`: `Λ ≤ regul → 0`, else `Ṽ/Λ` (NNGeometry's pseudo-inverse solve). */
  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod): Float64Array {
    if (kind === "default") return this.scaledCoordinates(x, (lambda, c) => c / (lambda + regul));
    if (kind === "lstsq") return this.scaledCoordinates(x, (lambda, c) => (lambda <= regul ? 0 : c / lambda));
    return unknownSolve("PMatEKFAC", kind, ["default", "lstsq"]);
  }

  /**
   * `(Λ + regul)^p` in the same eigenbasis; `regul` defaults to 0 for p > 0
   * and 1e-8 otherwise. `impl: "lstsq"` gives `Λ ≤ regul → 0`, else `Λ^p`.
   */
  pow(p: number, { regul = p > 0 ? 0 : 1e-8, impl = "default" }: { regul?: number; impl?: "default" | "lstsq" } = {}): PMatEKFAC<D> {
    checkRegul("PMatEKFAC.pow", "regul", regul);
    if (impl !== "default" && impl !== "lstsq") throw new ValueError(`PMatEKFAC.pow: impl must be "default" or "lstsq", got ${JSON.stringify(impl)}`);
    return this.mapEigenvalues((l) => (impl === "lstsq" ? (l <= regul ? 0 : l ** p) : powerOf(l + regul, p, "PMatEKFAC.pow")));
  }

  /** `(M + regul·I)⁻¹` = `pow(-1, { regul })`. */
  inv(regul = 1e-8): PMatEKFAC<D> {
    return this.pow(-1, { regul });
  }

  inverse(regul = 1e-8): PMatEKFAC<D> {
    return this.inv(regul);
  }

  /** The pseudo-inverse: `pow(-1, { regul: atol, impl: "lstsq" })`. */
  pinv(atol = 1e-8): PMatEKFAC<D> {
    return this.pow(-1, { regul: atol, impl: "lstsq" });
  }

  /** `s M` (scales Λ). */
  scale(s: number): PMatEKFAC<D> {
    return this.mapEigenvalues((l) => s * l);
  }

  private mapEigenvalues(f: (lambda: number) => number): PMatEKFAC<D> {
    const bases = new Map([...this.#bases].map(([id, b]) => [id, { ...b, eigenvalues: b.eigenvalues.map(f) }]));
    return new PMatEKFAC(this.layerCollection, bases, this.dtype, { kfacCoefficients: this.#kfacCoefficients });
  }
}
