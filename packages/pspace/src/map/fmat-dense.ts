/** NNGeometry's `FMatDense`: the Gram matrix (NTK) of the outputs' Jacobian. */
import { eigh, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { dot, frobenius, matrix, matvec, symmetricSingularRange, symmetrize, traceOf, type Matrix } from "../linalg/matrix.js";
import { FVector } from "./fvector.js";

/**
 * `K[o, i, o', j] = J[o, i] · J[o', j]` `[O, n, O, n]`, unnormalized;
 * corresponds to NNGeometry's `FMatDense` (the NTK of {@link GramMatrix}).
 * Every method works on the `(O·n) × (O·n)` reshape; `mv` and `trace`,
 * broken in NNGeometry, are the plain matrix operations here.
 *
 * @example
 * ```ts
 * const K = await GramMatrix({ model, loader });
 * K.size();   // [C, N, C, N]
 * ```
 */
export class FMatDense<D extends FloatDType = FloatDType> {
  readonly dtype: D;
  readonly #data: Matrix;
  readonly #shape: [number, number];

  constructor(data: Tensor, dtype: D = data.dtype as D) {
    if (data.ndim !== 4 || data.shape[0] !== data.shape[2] || data.shape[1] !== data.shape[3]) throw new ValueError(`FMatDense: data must be [O, n, O, n], got [${data.shape.join(", ")}]`);
    const m = data.shape[0] * data.shape[1];
    this.#shape = [data.shape[0], data.shape[1]];
    this.#data = matrix(m, m, Float64Array.from(data.data as ArrayLike<number>));
    this.dtype = dtype;
  }

  size(): [number, number, number, number] {
    const [o, n] = this.#shape;
    return [o, n, o, n];
  }

  get byteLength(): number {
    return this.#data.data.byteLength;
  }

  /** `[O, n, O, n]` (a copy). */
  toDense(): Tensor<D> {
    return new Tensor("float64", this.size(), this.#data.data.slice()).astype(this.dtype);
  }

  private flat(f: FVector, who: string): Float64Array {
    const [o, n] = this.#shape;
    if (!(f instanceof FVector) || f.size()[0] !== o || f.size()[1] !== n) throw new ValueError(`FMatDense.${who}: expected an FVector [${o}, ${n}]`);
    return Float64Array.from(f.toDense().data as ArrayLike<number>);
  }

  /** `K f`. */
  mv(f: FVector): FVector<D> {
    return new FVector(new Tensor("float64", [...this.#shape], matvec(this.#data, this.flat(f, "mv"))).astype(this.dtype));
  }

  /** `fᵀ K f`. */
  vTMv(f: FVector): number {
    const x = this.flat(f, "vTMv");
    return dot(x, matvec(this.#data, x));
  }

  trace(): number {
    return traceOf(this.#data);
  }

  /** Frobenius (default), 2 or -2 (NNGeometry: Frobenius only). */
  norm(ord: "fro" | 2 | -2 = "fro"): number {
    if (ord === "fro") return frobenius(this.#data);
    if (ord !== 2 && ord !== -2) throw new ValueError(`FMatDense.norm: ord must be "fro", 2 or -2, got ${JSON.stringify(ord)}`);
    const { max, min } = symmetricSingularRange(symmetrize(this.#data));
    return ord === 2 ? max : min;
  }

  /** The eigendecomposition of the `(O·n) × (O·n)` reshape: eigenvalues ascending, eigenvectors in columns. */
  computeEigendecomposition(): { eigenvalues: Tensor<"float64">; eigenvectors: Tensor<"float64"> } {
    return eigh(symmetrize(this.#data));
  }
}
