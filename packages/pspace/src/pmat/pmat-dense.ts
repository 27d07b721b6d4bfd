/** NNGeometry's `PMatDense`: the full d×d matrix. */
import { eigh, gemm, luFactor, luSolve, Tensor, ValueError, inv, type FloatDType, type LuFactorization } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { fromEigen, frobenius, matrix, matvec, mm, plusIdentity, symmetricFunction, symmetricSingularRange, symmetrize, traceOf, type Matrix } from "../linalg/matrix.js";
import { visitSquareRootRows, type FisherSource } from "../helpers/fisher-source.js";
import { assertDenseFits } from "./dense-size.js";
import { checkRegul, PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod } from "./pmat-abstract.js";

/**
 * The dense d×d matrix `(1/n) Σ_{i,o} g_{io} g_{io}ᵀ`; corresponds to
 * NNGeometry's `PMatDense`. `solve` is `"default"`/`"solve"` (an LU
 * factorization of `M + regul·I`, cached per regul) or
 * `"eigendecomposition"` (after {@link PMatDense.computeEigendecomposition}).
 * Building one refuses a matrix larger than `maxDenseBytes` with an error
 * that names its size.
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatDense });
 * F.trace(); F.vTMv(v); F.solve(v, { regul: 1e-3 }); F.inv(1e-3).toDense();
 * ```
 */
export class PMatDense<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly #data: Matrix;
  readonly #factorizations = new Map<number, LuFactorization<"float64">>();
  #eigen: { values: Float64Array; vectors: Matrix } | undefined;

  constructor(layerCollection: LayerCollection, data: Tensor, dtype: D = data.dtype as D) {
    super(layerCollection, dtype);
    const p = layerCollection.numel();
    if (data.ndim !== 2 || data.shape[0] !== p || data.shape[1] !== p) throw new ValueError(`PMatDense: data must be [${p}, ${p}], got [${data.shape.join(", ")}]`);
    this.#data = data.astype("float64");
  }

  /** `(1/n) Σ r rᵀ` from the per-example square-root rows. */
  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatDense<D>> {
    const p = source.layerCollection.numel();
    assertDenseFits("PMatDense", p, source.maxDenseBytes);
    let sum = matrix(p, p);
    await visitSquareRootRows(source, (rows, examples, outputs) => {
      const count = examples * outputs;
      const r = matrix(count, p, rows);
      sum = gemm(r, r, sum, { transA: true });
    });
    return new PMatDense(source.layerCollection, symmetrize(sum), source.dtype as D);
  }

  get byteLength(): number {
    return this.#data.data.byteLength;
  }

  protected mvFlat(x: Float64Array): Float64Array {
    return matvec(this.#data, x);
  }

  protected diagFlat(): Float64Array {
    const p = this.#data.shape[0];
    return Float64Array.from({ length: p }, (_, i) => this.#data.data[i * p + i]);
  }

  protected denseFlat(): Tensor<"float64"> {
    return this.#data.clone();
  }

  trace(): number {
    return traceOf(this.#data);
  }

  protected normOf(ord: MatrixNorm): number {
    if (ord === "fro") return frobenius(this.#data);
    const { max, min } = symmetricSingularRange(symmetrize(this.#data));
    return ord === 2 ? max : min;
  }

  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod): Float64Array {
    if (kind === "default" || kind === "solve") {
      let lu = this.#factorizations.get(regul);
      if (lu === undefined) this.#factorizations.set(regul, (lu = luFactor(plusIdentity(this.#data, regul))));
      return luSolve(lu, new Tensor("float64", [x.length, 1], x)).data as Float64Array;
    }
    if (kind === "eigendecomposition") {
      if (this.#eigen === undefined) throw new ValueError("PMatDense.solve: solve \"eigendecomposition\" needs computeEigendecomposition() first");
      const { values, vectors } = this.#eigen;
      const projected = mm(vectors, matrix(x.length, 1, x), { transA: true }).data.map((c, i) => c / (values[i] + regul));
      return mm(vectors, matrix(values.length, 1, projected)).data;
    }
    return unknownSolve("PMatDense", kind, ["default", "solve", "eigendecomposition"]);
  }

  /** Computes and keeps the eigendecomposition (`"eigh"`, or `"svd"`: singular values as eigenvalues, as NNGeometry). */
  computeEigendecomposition(impl: "eigh" | "svd" = "eigh"): void {
    const { eigenvalues, eigenvectors } = eigh(symmetrize(this.#data));
    const values = impl === "svd" ? eigenvalues.data.map(Math.abs) : eigenvalues.data;
    this.#eigen = { values, vectors: eigenvectors };
  }

  /** The kept eigendecomposition: eigenvalues `[P]` ascending and eigenvectors in columns `[P, P]`. */
  getEigendecomposition(): { eigenvalues: Tensor<"float64">; eigenvectors: Tensor<"float64"> } {
    if (this.#eigen === undefined) throw new ValueError("PMatDense.getEigendecomposition: call computeEigendecomposition() first");
    return { eigenvalues: new Tensor("float64", [this.#eigen.values.length], this.#eigen.values.slice()), eigenvectors: this.#eigen.vectors.clone() };
  }

  /** `(M + regul·I)⁻¹` (NNGeometry's `inv`). */
  inv(regul = 1e-8): PMatDense<D> {
    checkRegul("PMatDense.inv", "regul", regul);
    return new PMatDense(this.layerCollection, inv(plusIdentity(this.#data, regul)), this.dtype);
  }

  /** Alias of {@link PMatDense.inv} (NNGeometry's deprecated `inverse`). */
  inverse(regul = 1e-8): PMatDense<D> {
    return this.inv(regul);
  }

  /** The pseudo-inverse: eigenvalues at most `atol` dropped (NNGeometry has none for PMatDense; curv adds it). */
  pinv(atol = 1e-8): PMatDense<D> {
    checkRegul("PMatDense.pinv", "atol", atol);
    return new PMatDense(this.layerCollection, symmetricFunction(symmetrize(this.#data), (l) => (Math.abs(l) <= atol ? 0 : 1 / l)), this.dtype);
  }

  /** `M^p` through the eigendecomposition (`(M + regul·I)^p`); fractional p needs a positive semi-definite matrix. */
  pow(p: number, { regul = 0 }: { regul?: number } = {}): PMatDense<D> {
    checkRegul("PMatDense.pow", "regul", regul);
    const { eigenvalues, eigenvectors } = eigh(symmetrize(plusIdentity(this.#data, regul)));
    return new PMatDense(this.layerCollection, fromEigen(eigenvalues.data.map((l) => powerOf(l, p, "PMatDense.pow")), eigenvectors), this.dtype);
  }

  add(other: PMatDense<D>): PMatDense<D> {
    this.assertSameKind(other, "add");
    return this.combine(other, (a, b) => a + b);
  }

  sub(other: PMatDense<D>): PMatDense<D> {
    this.assertSameKind(other, "sub");
    return this.combine(other, (a, b) => a - b);
  }

  /** `s M` (NNGeometry's `__rmul__`). */
  scale(s: number): PMatDense<D> {
    return this.combine(this, (a) => s * a);
  }

  /** `M N` (NNGeometry's `mm`). */
  mm(other: PMatDense<D>): PMatDense<D> {
    this.assertSameKind(other, "mm");
    return new PMatDense(this.layerCollection, mm(this.#data, other.#data), this.dtype);
  }

  private combine(other: PMatDense<D>, f: (a: number, b: number) => number): PMatDense<D> {
    const theirs = other.#data.data;
    return new PMatDense(this.layerCollection, new Tensor("float64", [...this.#data.shape], this.#data.data.map((a, i) => f(a, theirs[i]))), this.dtype);
  }
}

/** `λ^p`, refusing a negative eigenvalue's fractional power. */
export function powerOf(lambda: number, p: number, who: string): number {
  if (lambda < 0 && !Number.isInteger(p)) {
    if (lambda > -1e-12) return 0;
    throw new ValueError(`${who}: a fractional power needs a positive semi-definite matrix, but it has the eigenvalue ${lambda}`);
  }
  return lambda ** p;
}
