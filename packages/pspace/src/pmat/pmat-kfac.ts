/** NNGeometry's `PMatKFAC`: one Kronecker-factored block `G ⊗ A` per Linear or Conv2d layer. */
import { eigh, luFactor, luSolve, Tensor, ValueError, inv, type FloatDType } from "@curv/tensor";
import type { LayerCollection, LayerKind } from "../layers/layer-collection.js";
import { kroneckerFactors, type FisherSource, type KroneckerFactors } from "../helpers/fisher-source.js";
import { frobenius, kron, matrix, mm, plusIdentity, symmetricFunction, symmetricSingularRange, symmetrize, traceOf, type Matrix } from "../linalg/matrix.js";
import { denseKroneckerBlocks, fromJoint, kroneckerShape, splitIndex, toJoint, type KroneckerShape } from "./kronecker-layout.js";
import { checkRegul, PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod, type SolveOptions } from "./pmat-abstract.js";
import { powerOf } from "./pmat-dense.js";

/** The layer kinds KFAC and EKFAC factor. */
export const KRONECKER_KINDS: readonly LayerKind[] = ["Linear", "Conv2d"];

/** Martens & Grosse's π: `√((tr A / dim A) / (tr G / dim G))`, 1 when a trace vanishes. */
export function piDamping(A: Matrix, G: Matrix): number {
  const ratio = (traceOf(A) / A.shape[0]) / (traceOf(G) / G.shape[0]);
  return ratio > 0 && Number.isFinite(ratio) ? Math.sqrt(ratio) : 1;
}

/** `A_r = A + π√regul·I`, `G_r = G + (√regul/π)·I` (π = 1 without π-damping). */
export function dampedFactors({ A, G }: KroneckerFactors, regul: number, usePi: boolean): KroneckerFactors {
  const pi = usePi ? piDamping(A, G) : 1;
  const root = Math.sqrt(regul);
  return { A: plusIdentity(A, pi * root), G: plusIdentity(G, root / pi) };
}

/**
 * KFAC (Martens & Grosse 2015; Grosse & Martens 2016 for convolutions): per
 * Linear or Conv2d layer the block `G ⊗ A` of the row-major `[W | b]`, with
 * `A = (1/n) Σ x̃x̃ᵀ` over examples and positions (`x̃` the input, or the
 * unfolded convolution patch, with a one appended for the bias) and
 * `G = (1/n) Σ_{i,o} gy gyᵀ` divided by the positions (NNGeometry's KFC
 * convention); corresponds to NNGeometry's `PMatKFAC`. The factors come from
 * @curv/operators' `KFACLinearOperator` (type-2, expand, joint bias) and keep
 * its normalization (`A = 1/(nS) Σ`, `G = 1/n Σ`): NNGeometry scales A by
 * `√O·S` and G by `1/(√O·S)`, which changes neither the matrix nor the
 * π-damped inverses and powers.
 *
 * Departures (package README): `pow` takes any real power through the
 * factors' eigendecompositions (NNGeometry's `pow(0.5)` raises), and
 * `scale` exists (NNGeometry has no `rmul`); sums and differences do not
 * (they are not Kronecker-factored).
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatKFAC });
 * const natural = F.solve(gradient, { regul: 1e-3 });       // π-damped
 * const root = F.pow(0.5).toDense();
 * ```
 */
export class PMatKFAC<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly #factors: ReadonlyMap<string, KroneckerFactors>;
  readonly #shapes: ReadonlyMap<string, KroneckerShape>;

  constructor(layerCollection: LayerCollection, factors: ReadonlyMap<string, KroneckerFactors>, dtype: D) {
    super(layerCollection, dtype);
    layerCollection.assertKinds(KRONECKER_KINDS, "PMatKFAC");
    const shapes = new Map<string, KroneckerShape>();
    const stored = new Map<string, KroneckerFactors>();
    for (const layer of layerCollection.layers) {
      const shape = kroneckerShape(layer);
      const f = factors.get(layer.id);
      const fits = (m: Tensor | undefined, n: number) => m !== undefined && m.ndim === 2 && m.shape[0] === n && m.shape[1] === n;
      if (f === undefined || !fits(f.A, shape.sA) || !fits(f.G, shape.sG)) {
        throw new ValueError(`PMatKFAC: layer "${layer.id}" needs A [${shape.sA}, ${shape.sA}] and G [${shape.sG}, ${shape.sG}]`);
      }
      shapes.set(layer.id, shape);
      stored.set(layer.id, { A: asFloat64(f.A), G: asFloat64(f.G) });
    }
    this.#factors = stored;
    this.#shapes = shapes;
  }

  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatKFAC<D>> {
    source.layerCollection.assertKinds(KRONECKER_KINDS, "PMatKFAC");
    const { factors } = await kroneckerFactors(source);
    return new PMatKFAC(source.layerCollection, factors, source.dtype as D);
  }

  get byteLength(): number {
    return [...this.#factors.values()].reduce((n, f) => n + f.A.data.byteLength + f.G.data.byteLength, 0);
  }

  /** Layer `id`'s factors `{A, G}` (copies, float64; NNGeometry's `data[id]`). */
  getFactors(id: string): KroneckerFactors {
    this.layerCollection.getLayer(id);
    const f = this.#factors.get(id) as KroneckerFactors;
    return { A: f.A.clone(), G: f.G.clone() };
  }

  private eachLayer(x: Float64Array, f: (factors: KroneckerFactors, shape: KroneckerShape, v: Matrix) => Matrix): Float64Array {
    const out = new Float64Array(x.length);
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      const shape = this.#shapes.get(layer.id) as KroneckerShape;
      const v = toJoint(shape, x.subarray(start, start + layer.numel));
      out.set(fromJoint(shape, f(this.#factors.get(layer.id) as KroneckerFactors, shape, v)), start);
    }
    return out;
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return this.eachLayer(x, ({ A, G }, _, v) => mm(mm(G, v), A));
  }

  protected diagFlat(): Float64Array {
    const out = new Float64Array(this.layerCollection.numel());
    for (const layer of this.layerCollection.layers) {
      const start = this.layerCollection.getLayerStart(layer.id);
      const shape = this.#shapes.get(layer.id) as KroneckerShape;
      const { A, G } = this.#factors.get(layer.id) as KroneckerFactors;
      for (let o = 0; o < shape.sG; o++) {
        for (let a = 0; a < shape.sA; a++) out[start + splitIndex(shape, o, a)] = G.data[o * shape.sG + o] * A.data[a * shape.sA + a];
      }
    }
    return out;
  }

  protected denseFlat(): Tensor<"float64"> {
    return this.toDenseOrdered(true);
  }

  /** The dense matrix; with `splitWeightBias: false` each block keeps the joint `[W | b]` order (bias entries interleaved). */
  override toDense({ splitWeightBias = true }: { splitWeightBias?: boolean } = {}): Tensor<D> {
    return this.toDenseOrdered(splitWeightBias).astype(this.dtype);
  }

  private toDenseOrdered(split: boolean): Tensor<"float64"> {
    return denseKroneckerBlocks(this.layerCollection, (layer) => {
      const { A, G } = this.#factors.get(layer.id) as KroneckerFactors;
      return { shape: this.#shapes.get(layer.id) as KroneckerShape, joint: kron(G, A) };
    }, split);
  }

  trace(): number {
    return [...this.#factors.values()].reduce((t, { A, G }) => t + traceOf(A) * traceOf(G), 0);
  }

  protected normOf(ord: MatrixNorm): number {
    const factors = [...this.#factors.values()];
    if (ord === "fro") return Math.sqrt(factors.reduce((s, { A, G }) => s + (frobenius(A) * frobenius(G)) ** 2, 0));
    const products = factors.map(({ A, G }) => {
      const [a, g] = [symmetricSingularRange(symmetrize(A)), symmetricSingularRange(symmetrize(G))];
      return ord === 2 ? a.max * g.max : a.min * g.min;
    });
    return ord === 2 ? Math.max(...products) : Math.min(...products);
  }

  /** `G_r⁻¹ V A_r⁻¹` per layer with π-damping (`usePi`, default true), as NNGeometry. */
  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod, { usePi = true }: SolveOptions): Float64Array {
    if (kind !== "default") unknownSolve("PMatKFAC", kind, ["default"]);
    return this.eachLayer(x, (factors, _, v) => {
      const { A, G } = dampedFactors(factors, regul, usePi);
      const left = luSolve(luFactor(G), v) as Matrix;                               // G_r⁻¹ V
      return transpose(luSolve(luFactor(A), transpose(left)) as Matrix);            // (A_r⁻¹ (G_r⁻¹V)ᵀ)ᵀ, A_r symmetric
    });
  }

  /** `(A_r⁻¹, G_r⁻¹)` per layer: the π-damped inverse (NNGeometry's `inv(regul, use_pi)`). */
  inv(regul = 1e-8, { usePi = true }: { usePi?: boolean } = {}): PMatKFAC<D> {
    checkRegul("PMatKFAC.inv", "regul", regul);
    return this.mapFactors((f) => {
      const { A, G } = dampedFactors(f, regul, usePi);
      return { A: inv(A), G: inv(G) };
    });
  }

  inverse(regul = 1e-8): PMatKFAC<D> {
    return this.inv(regul);
  }

  /**
   * `(A_r^p, G_r^p)` per layer through the factors' eigendecompositions, for
   * any real p (NNGeometry: integers only). `regul` defaults to 0 for p > 0
   * and 1e-8 otherwise; π-damping as in {@link PMatKFAC.inv}.
   */
  pow(p: number, { regul = p > 0 ? 0 : 1e-8, usePi = true }: { regul?: number; usePi?: boolean } = {}): PMatKFAC<D> {
    checkRegul("PMatKFAC.pow", "regul", regul);
    return this.mapFactors((f) => {
      const { A, G } = dampedFactors(f, regul, usePi);
      const power = (m: Matrix) => symmetricFunction(symmetrize(m), (l) => powerOf(l, p, "PMatKFAC.pow"));
      return { A: power(A), G: power(G) };
    });
  }

  /** `s M`, scaling each G (NNGeometry has no `rmul` for KFAC; curv adds it). */
  scale(s: number): PMatKFAC<D> {
    return this.mapFactors(({ A, G }) => ({ A, G: new Tensor("float64", [...G.shape], G.data.map((x) => s * x)) }));
  }

  /** `(A₁A₂, G₁G₂)` per layer (NNGeometry's `mm`). */
  mm(other: PMatKFAC<D>): PMatKFAC<D> {
    this.assertSameKind(other, "mm");
    return this.mapFactors(({ A, G }, id) => {
      const theirs = other.#factors.get(id) as KroneckerFactors;
      return { A: mm(A, theirs.A), G: mm(G, theirs.G) };
    });
  }

  /** Each layer's factors' eigendecompositions: eigenvalues ascending, eigenvectors in columns. */
  computeEigendecomposition(): Map<string, { A: { eigenvalues: Tensor<"float64">; eigenvectors: Tensor<"float64"> }; G: { eigenvalues: Tensor<"float64">; eigenvectors: Tensor<"float64"> } }> {
    return new Map([...this.#factors].map(([id, { A, G }]) => [id, { A: eigh(symmetrize(A)), G: eigh(symmetrize(G)) }]));
  }

  private mapFactors(f: (factors: KroneckerFactors, id: string) => KroneckerFactors): PMatKFAC<D> {
    return new PMatKFAC(this.layerCollection, new Map([...this.#factors].map(([id, factors]) => [id, f(factors, id)])), this.dtype);
  }
}

function transpose(m: Matrix): Matrix {
  const [r, c] = m.shape;
  const out = matrix(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = m.data[i * c + j];
  return out;
}

/** A float64 matrix as is (the representations never write into their factors), other dtypes converted. */
function asFloat64(m: Tensor): Tensor<"float64"> {
  return m.dtype === "float64" ? (m as Tensor<"float64">) : m.astype("float64");
}
