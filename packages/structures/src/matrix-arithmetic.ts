import { ShapeError, Tensor, formatShape, type FloatDType } from "@curv/tensor";
import { floatData } from "./matrix-blocks.js";

// Elementwise and diagonal arithmetic on the dense parts of structures. Sums
// accumulate in float64 and round once on storing.

/** `Σ_k coefficients[k] · terms[k]` for tensors of one shape, as a new tensor. */
export function linearCombination<D extends FloatDType>(terms: readonly Tensor<D>[], coefficients?: readonly number[]): Tensor<D> {
  const first = terms[0];
  const out = new Tensor(first.dtype, first.shape);
  const acc = new Float64Array(first.size);
  terms.forEach((term, k) => {
    if (term.size !== first.size) {
      throw new ShapeError(`linearCombination: term ${k} has shape ${formatShape(term.shape)}, expected ${formatShape(first.shape)}`);
    }
    const c = coefficients?.[k] ?? 1;
    const values = floatData(term);
    for (let i = 0; i < acc.length; i++) acc[i] += c * values[i];
  });
  floatData(out).set(acc);
  return out;
}

/** `Σ_ij t_ij²`. */
export function sumOfSquares(t: Tensor<FloatDType>): number {
  let s = 0;
  for (const v of floatData(t)) s += v * v;
  return s;
}

/** `Σ_i t_ii` of a square matrix. */
export function matrixTrace(t: Tensor<FloatDType>): number {
  const n = t.shape[0];
  const values = floatData(t);
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i * n + i];
  return s;
}

/** Adds `value` to the diagonal of a square matrix, in place. */
export function addToDiagonalInPlace(t: Tensor<FloatDType>, value: number): void {
  const n = t.shape[0];
  const values = floatData(t);
  for (let i = 0; i < n; i++) values[i * n + i] += value;
}

/** Entries `start..end−1` of the diagonal of a square matrix (all of it by default), as a vector. */
export function diagonalOf<D extends FloatDType>(t: Tensor<D>, start = 0, end = t.shape[0]): Tensor<D> {
  const n = t.shape[0];
  const out = new Tensor(t.dtype, [end - start]);
  const src = floatData(t);
  const dst = floatData(out);
  for (let i = start; i < end; i++) dst[i - start] = src[i * n + i];
  return out;
}

/** `Σ_j x_ij²` for each row `i`, as a vector. */
export function rowSumsOfSquares<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  const [rows, columns] = x.shape;
  const out = new Tensor(x.dtype, [rows]);
  const src = floatData(x);
  const dst = floatData(out);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < columns; j++) s += src[i * columns + j] ** 2;
    dst[i] = s;
  }
  return out;
}

/** `diag(v) · x`: scales row `i` of `x` by `v_i`. */
export function scaleRows<D extends FloatDType>(v: Tensor<D>, x: Tensor<D>): Tensor<D> {
  const [rows, columns] = x.shape;
  const out = new Tensor(x.dtype, x.shape);
  const scale = floatData(v);
  const src = floatData(x);
  const dst = floatData(out);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) dst[i * columns + j] = scale[i] * src[i * columns + j];
  }
  return out;
}

/** A square matrix with `v` on its diagonal. */
export function diagonalMatrixOf<D extends FloatDType>(v: Tensor<D>): Tensor<D> {
  const n = v.shape[0];
  const out = new Tensor(v.dtype, [n, n]);
  const src = floatData(v);
  const dst = floatData(out);
  for (let i = 0; i < n; i++) dst[i * n + i] = src[i];
  return out;
}

/** `x · diag(v)`: scales column `j` of `x` by `v_j`. */
export function scaleColumns<D extends FloatDType>(x: Tensor<D>, v: Tensor<D>): Tensor<D> {
  const [rows, columns] = x.shape;
  const out = new Tensor(x.dtype, x.shape);
  const scale = floatData(v);
  const src = floatData(x);
  const dst = floatData(out);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) dst[i * columns + j] = src[i * columns + j] * scale[j];
  }
  return out;
}

/** `Σ_i x_ij²` for each column `j`, as a vector. */
export function columnSumsOfSquares<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return rowSumsOfSquares(x.transpose());
}

/** `a ⊙ b` for two tensors of one shape. */
export function elementwiseProduct<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  if (a.size !== b.size) throw new ShapeError(`elementwiseProduct: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`);
  const out = new Tensor(a.dtype, a.shape);
  const x = floatData(a);
  const y = floatData(b);
  const z = floatData(out);
  for (let i = 0; i < z.length; i++) z[i] = x[i] * y[i];
  return out;
}
