/**
 * What every stored parameter-space matrix shares (NNGeometry's
 * `PMatAbstract`): its layer collection and dtype, `size`, `mv`/`vTMv` on
 * PVectors with their checks, `mmap`/`mapTMmap`/`solve` on PFMaps, `norm`'s
 * orders, `inverse` as an alias of `inv`, and `byteLength`. A subclass
 * implements the float64 kernels on flat vectors.
 */
import { DTypeError, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LayerCollection } from "../layers/layer-collection.js";
import { dot } from "../linalg/matrix.js";
import { PFMapDense } from "../map/pfmap-dense.js";
import { PVector } from "../vector/pvector.js";

/** The norms NNGeometry offers: Frobenius, spectral (largest singular value) and the smallest singular value. */
export type MatrixNorm = "fro" | 2 | -2;

/** A caller's solver of `A X = B` on float64 matrices (NNGeometry's callable `solve` of PMatBlockDiag). */
export type BlockSolver = (a: Tensor<"float64">, b: Tensor<"float64">) => Tensor;

/**
 * How to solve: a method name (which ones depends on the representation), a
 * {@link BlockSolver} (PMatBlockDiag), or per representation class name
 * `{ PMatEKFAC: "lstsq" }` (PMatMixed).
 */
export type SolveMethod = string | BlockSolver | Readonly<Record<string, string>>;

/** Options of `solve`: Tikhonov damping `regul` (default 1e-8, as NNGeometry) and the method. */
export interface SolveOptions {
  readonly regul?: number;
  readonly solve?: SolveMethod;
  /** PMatKFAC: π-damping (default true). */
  readonly usePi?: boolean;
}

/** What `mapTMmap` returns: per example (`"sum"`, `[n]`) or per output and example (`"diag"`, `[O, n]`). */
export type MapReduction = "sum" | "diag";

/**
 * A d×d matrix in parameter space, stored; corresponds to NNGeometry's
 * `PMatAbstract`. Host-side and synchronous; values are float64, results come
 * in the matrix's dtype (the model's).
 */
export abstract class PMatAbstract<D extends FloatDType = FloatDType> {
  readonly layerCollection: LayerCollection;
  readonly dtype: D;

  constructor(layerCollection: LayerCollection, dtype: D) {
    this.layerCollection = layerCollection;
    this.dtype = dtype;
  }

  /** `M x` on a flat float64 vector. */
  protected abstract mvFlat(x: Float64Array): Float64Array;
  /** `(M + regul·I)⁻¹ x` (or the representation's variant `kind`) on a flat float64 vector. */
  protected abstract solveFlat(x: Float64Array, regul: number, kind: SolveMethod, options: SolveOptions): Float64Array;
  /** The representation's `norm` of order `fro`, 2 or -2. */
  protected abstract normOf(ord: MatrixNorm): number;
  /** The diagonal, float64. */
  protected abstract diagFlat(): Float64Array;
  /** The dense matrix, float64 `[P, P]`. */
  protected abstract denseFlat(): Tensor<"float64">;
  abstract trace(): number;
  /** `s M` (NNGeometry's `__rmul__`), in the same representation. */
  abstract scale(s: number): PMatAbstract<D>;
  /** Bytes held by the representation's data. */
  abstract get byteLength(): number;

  /** `vᵀ M v` on a flat float64 vector (default `v · M v`). */
  protected vTMvFlat(x: Float64Array): number {
    return dot(x, this.mvFlat(x));
  }

  /** `[P, P]` or one extent (NNGeometry's `size(dim)`). */
  size(): [number, number];
  size(dim: 0 | 1): number;
  size(dim?: number): number | [number, number] {
    const p = this.layerCollection.numel();
    if (dim === undefined) return [p, p];
    if (dim !== 0 && dim !== 1) throw new ValueError(`${this.constructor.name}.size: dim must be 0 or 1, got ${dim}`);
    return p;
  }

  /** `M v`. */
  mv(v: PVector<D>): PVector<D> {
    this.assertVector(v, "mv");
    return v.withValues(this.mvFlat(v.toFloat64()));
  }

  /** `vᵀ M v`. */
  vTMv(v: PVector<D>): number {
    this.assertVector(v, "vTMv");
    return this.vTMvFlat(v.toFloat64());
  }

  /** The diagonal `[P]` (NNGeometry's `get_diag`). */
  getDiag(): Tensor<D> {
    return new Tensor("float64", [this.layerCollection.numel()], this.diagFlat()).astype(this.dtype);
  }

  /** The dense `[P, P]` matrix (NNGeometry's `to_torch`). */
  toDense(): Tensor<D> {
    return this.denseFlat().astype(this.dtype);
  }

  /** `norm("fro")`. */
  frobeniusNorm(): number {
    return this.norm("fro");
  }

  /** The Frobenius norm (default), the largest (2) or smallest (-2) singular value; another order is a `ValueError`. */
  norm(ord: MatrixNorm = "fro"): number {
    if (ord !== "fro" && ord !== 2 && ord !== -2) throw new ValueError(`${this.constructor.name}.norm: ord must be "fro", 2 or -2, got ${JSON.stringify(ord)}`);
    return this.normOf(ord);
  }

  /**
   * `(M + regul·I)⁻¹ x` for a PVector, or for every row of a PFMapDense
   * (NNGeometry's `solve`); `solve` picks the representation's method.
   */
  solve(x: PVector<D>, options?: SolveOptions): PVector<D>;
  solve(x: PFMapDense<D>, options?: SolveOptions): PFMapDense<D>;
  solve(x: PVector<D> | PFMapDense<D>, options: SolveOptions = {}): PVector<D> | PFMapDense<D> {
    const { regul = 1e-8, solve = "default" } = options;
    if (!(regul >= 0) || !Number.isFinite(regul)) throw new ValueError(`${this.constructor.name}.solve: regul must be a finite number >= 0, got ${regul}`);
    if (x instanceof PFMapDense) {
      this.assertMap(x, "solve");
      return this.mapRows(x, (row) => this.solveFlat(row, regul, solve, options));
    }
    this.assertVector(x, "solve");
    return x.withValues(this.solveFlat(x.toFloat64(), regul, solve, options));
  }

  /** `M Jᵀ` row by row: a PFMapDense of the same shape (NNGeometry's `mmap`). */
  mmap(map: PFMapDense<D>): PFMapDense<D> {
    this.assertMap(map, "mmap");
    return this.mapRows(map, (row) => this.mvFlat(row));
  }

  /** `J[o, i] M J[o, i]ᵀ` per row, summed over outputs (`"sum"`, `[n]`) or not (`"diag"`, `[O, n]`). */
  mapTMmap(map: PFMapDense<D>, reduction: MapReduction = "sum"): Tensor<D> {
    this.assertMap(map, "mapTMmap");
    if (reduction !== "sum" && reduction !== "diag") throw new ValueError(`${this.constructor.name}.mapTMmap: reduction must be "sum" or "diag", got ${JSON.stringify(reduction)}`);
    const [o, n, p] = map.size();
    const rows = map.rows();
    const values = new Float64Array(o * n);
    for (let r = 0; r < o * n; r++) values[r] = this.vTMvFlat(rows.slice(r * p, (r + 1) * p));
    if (reduction === "diag") return new Tensor("float64", [o, n], values).astype(this.dtype);
    const sums = new Float64Array(n);
    for (let r = 0; r < o * n; r++) sums[r % n] += values[r];
    return new Tensor("float64", [n], sums).astype(this.dtype);
  }

  /** `M v` for a PVector, `M Jᵀ` for a PFMapDense (NNGeometry's `@`). */
  matmul(x: PVector<D>): PVector<D>;
  matmul(x: PFMapDense<D>): PFMapDense<D>;
  matmul(x: PVector<D> | PFMapDense<D>): PVector<D> | PFMapDense<D> {
    if (x instanceof PFMapDense) return this.mmap(x);
    return this.mv(x);
  }

  private mapRows(map: PFMapDense<D>, f: (row: Float64Array) => Float64Array): PFMapDense<D> {
    const [o, n, p] = map.size();
    const rows = map.rows();
    const out = new Float64Array(o * n * p);
    for (let r = 0; r < o * n; r++) out.set(f(rows.slice(r * p, (r + 1) * p)), r * p);
    return map.withRows(out);
  }

  /** Throws unless `v` is a PVector of this collection and dtype. */
  protected assertVector(v: PVector, method: string): void {
    const who = `${this.constructor.name}.${method}`;
    if (!(v instanceof PVector)) throw new ValueError(`${who}: expected a PVector, got ${String(v)}`);
    this.layerCollection.assertSame(v.layerCollection, who);
    if (v.dtype !== this.dtype) throw new DTypeError(`${who}: the vector is ${v.dtype} but the matrix is ${this.dtype}`);
  }

  /** Throws unless `map` is a PFMapDense of this collection and dtype. */
  protected assertMap(map: PFMapDense, method: string): void {
    const who = `${this.constructor.name}.${method}`;
    if (!(map instanceof PFMapDense)) throw new ValueError(`${who}: expected a PFMapDense, got ${String(map)}`);
    this.layerCollection.assertSame(map.layerCollection, who);
    if (map.dtype !== this.dtype) throw new DTypeError(`${who}: the map is ${map.dtype} but the matrix is ${this.dtype}`);
  }

  /** Throws unless `other` is of this class, collection and dtype (for sums, differences and products). */
  protected assertSameKind(other: PMatAbstract, method: string): void {
    const who = `${this.constructor.name}.${method}`;
    if (!(other instanceof (this.constructor as abstract new (...args: never[]) => PMatAbstract))) {
      throw new ValueError(`${who}: expected another ${this.constructor.name}, got ${(other as object | undefined)?.constructor?.name ?? String(other)}`);
    }
    this.layerCollection.assertSame(other.layerCollection, who);
    if (other.dtype !== this.dtype) throw new DTypeError(`${who}: dtypes differ: ${this.dtype} vs ${other.dtype}`);
  }
}

/** Throws a ValueError for an unknown `solve` method. */
export function unknownSolve(who: string, kind: SolveMethod, known: readonly string[]): never {
  throw new ValueError(`${who}.solve: solve must be ${known.map((k) => `"${k}"`).join(" or ")}, got ${typeof kind === "function" ? "a function" : JSON.stringify(kind)}`);
}

/** Checks a damping / tolerance argument. */
export function checkRegul(who: string, name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new ValueError(`${who}: ${name} must be a finite number >= 0, got ${value}`);
  return value;
}
