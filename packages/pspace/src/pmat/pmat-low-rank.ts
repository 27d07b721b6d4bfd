/** NNGeometry's `PMatLowRank`: `AᵀA` with A the per-example square-root Jacobian over √n. */
import { svd, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { visitSquareRootRows, type FisherSource } from "../helpers/fisher-source.js";
import { dot, frobenius, matrix, mm, symmetricSingularRange, type Matrix } from "../linalg/matrix.js";
import { PMatAbstract, unknownSolve, type MatrixNorm, type SolveMethod } from "./pmat-abstract.js";

/**
 * The matrix `AᵀA` for the factor `A = J_s / √n` `[O, n, P]` (any leading
 * shape; rows are `A.view(-1, P)`); corresponds to NNGeometry's
 * `PMatLowRank`. Memory `O·n·P`, never `P²`.
 *
 * Departures (package README): `norm(-2)` is the smallest singular value of
 * the P×P matrix (0 when `O·n < P`; NNGeometry's is that of `AAᵀ`), and
 * `solve` is the exact `(AᵀA + regul·I)⁻¹ x`, keeping the components outside
 * A's row space (divided by regul) that NNGeometry drops.
 *
 * @example
 * ```ts
 * const F = await FIM({ model, loader, representation: PMatLowRank });
 * F.getFactor().shape;   // [C - 1, N, P]
 * ```
 */
export class PMatLowRank<D extends FloatDType = FloatDType> extends PMatAbstract<D> {
  readonly #factor: Tensor<"float64">;
  #svd: { s: Float64Array; v: Matrix } | undefined;

  constructor(layerCollection: LayerCollection, factor: Tensor, dtype: D = factor.dtype as D) {
    super(layerCollection, dtype);
    const p = layerCollection.numel();
    if (factor.ndim < 2 || factor.shape[factor.ndim - 1] !== p) throw new ValueError(`PMatLowRank: the factor must be [..., ${p}], got [${factor.shape.join(", ")}]`);
    this.#factor = factor.astype("float64");
  }

  /** `J_s / √n` `[O, n, P]` from the per-example square-root rows. */
  static async build<D extends FloatDType>(source: FisherSource): Promise<PMatLowRank<D>> {
    const p = source.layerCollection.numel();
    const chunks: { rows: Float64Array; examples: number }[] = [];
    let o = 0;
    await visitSquareRootRows(source, (rows, examples, outputs) => {
      chunks.push({ rows: rows.slice(), examples });
      o = outputs;
    });
    const numData = chunks.reduce((total, c) => total + c.examples, 0);
    // Each batch's rows are [n_b, O, P]; the factor is [O, n, P].
    const factor = new Float64Array(o * numData * p);
    let first = 0;
    for (const { rows, examples } of chunks) {
      for (let i = 0; i < examples; i++) {
        for (let k = 0; k < o; k++) factor.set(rows.subarray((i * o + k) * p, (i * o + k + 1) * p), (k * numData + first + i) * p);
      }
      first += examples;
    }
    return new PMatLowRank(source.layerCollection, new Tensor("float64", [o, numData, p], factor), source.dtype as D);
  }

  get byteLength(): number {
    return this.#factor.data.byteLength;
  }

  /** The factor A (a copy). */
  getFactor(): Tensor<D> {
    return this.#factor.astype(this.dtype);
  }

  private rows(): Matrix {
    const p = this.layerCollection.numel();
    return matrix(this.#factor.size / p, p, this.#factor.data);
  }

  protected mvFlat(x: Float64Array): Float64Array {
    const a = this.rows();
    return mm(a, mm(a, matrix(x.length, 1, x)), { transA: true }).data;
  }

  protected override vTMvFlat(x: Float64Array): number {
    const ax = mm(this.rows(), matrix(x.length, 1, x)).data;
    return dot(ax, ax);
  }

  protected diagFlat(): Float64Array {
    const a = this.rows();
    const [r, p] = a.shape;
    const out = new Float64Array(p);
    for (let i = 0; i < r; i++) for (let j = 0; j < p; j++) out[j] += a.data[i * p + j] ** 2;
    return out;
  }

  protected denseFlat(): Tensor<"float64"> {
    const a = this.rows();
    return mm(a, a, { transA: true });
  }

  trace(): number {
    return frobenius(this.rows()) ** 2;
  }

  protected normOf(ord: MatrixNorm): number {
    const a = this.rows();
    const gram = mm(a, a, { transB: true });
    if (ord === "fro") return frobenius(gram);
    const { max, min } = symmetricSingularRange(gram);
    if (ord === 2) return max;
    return a.shape[0] < a.shape[1] ? 0 : min;
  }

  /** Keeps the thin SVD of A (NNGeometry's `compute_eigendecomposition("svd")`: eigenvalues s², eigenvectors V). */
  computeEigendecomposition(): { eigenvalues: Tensor<"float64">; eigenvectors: Tensor<"float64"> } {
    const { s, vt } = svd(this.rows());
    const v = transposeOf(vt);
    this.#svd = { s: s.data, v };
    return { eigenvalues: new Tensor("float64", [s.size], s.data.map((x) => x * x)), eigenvectors: v.clone() };
  }

  /** `(AᵀA + regul·I)⁻¹ x` through A's SVD: `V (Vᵀx/(s² + regul)) + (x − V Vᵀx)/regul` (the last term needs regul > 0). */
  protected solveFlat(x: Float64Array, regul: number, kind: SolveMethod): Float64Array {
    if (kind !== "default" && kind !== "svd") unknownSolve("PMatLowRank", kind, ["default", "svd"]);
    if (this.#svd === undefined) this.computeEigendecomposition();
    const { s, v } = this.#svd as { s: Float64Array; v: Matrix };
    const coordinates = mm(v, matrix(x.length, 1, x), { transA: true }).data;
    const inRange = mm(v, matrix(s.length, 1, coordinates)).data;
    const scaled = mm(v, matrix(s.length, 1, coordinates.map((c, i) => c / (s[i] * s[i] + regul)))).data;
    const outside = x.map((xi, i) => xi - inRange[i]);
    const outsideNorm = Math.sqrt(dot(outside, outside));
    if (regul === 0) {
      if (outsideNorm > 1e-12 * Math.sqrt(dot(x, x))) throw new ValueError("PMatLowRank.solve: x has components outside the factor's row space, where the matrix is 0: pass regul > 0");
      return scaled;
    }
    return scaled.map((value, i) => value + outside[i] / regul);
  }

  /** `s M` (the factor scaled by √s, as NNGeometry's `rmul`); s must be >= 0. */
  scale(s: number): PMatLowRank<D> {
    if (!(s >= 0)) throw new ValueError(`PMatLowRank.scale: s must be >= 0 (the factor is scaled by √s), got ${s}`);
    const root = Math.sqrt(s);
    return new PMatLowRank(this.layerCollection, new Tensor("float64", [...this.#factor.shape], this.#factor.data.map((x) => root * x)), this.dtype);
  }
}

function transposeOf(m: Matrix): Matrix {
  const [r, c] = m.shape;
  const out = matrix(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = m.data[i * c + j];
  return out;
}

