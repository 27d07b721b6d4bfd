import { concat, Tensor, type FloatDType } from "@curv/tensor";

// Reading, writing and stacking rectangular blocks of row-major matrices:
// the structures store their parts as separate tensors and assemble dense
// results from them.

/** The typed array behind a float tensor. */
export function floatData(t: Tensor<FloatDType>): Float32Array | Float64Array {
  return t.data as Float32Array | Float64Array;
}

/** A copy of rows `[r0, r1)` and columns `[c0, c1)` of a matrix, one contiguous row at a time. */
export function subMatrix<D extends FloatDType>(t: Tensor<D>, r0: number, r1: number, c0: number, c1: number): Tensor<D> {
  const width = t.shape[1];
  const columns = c1 - c0;
  const out = new Tensor(t.dtype, [r1 - r0, columns]);
  const src = floatData(t);
  const dst = floatData(out);
  for (let i = r0; i < r1; i++) dst.set(src.subarray(i * width + c0, i * width + c1), (i - r0) * columns);
  return out;
}

/** A copy of rows `[r0, r1)` of a matrix, or of matrices `[r0, r1)` of a stack of them. */
export function rowBlock<D extends FloatDType>(t: Tensor<D>, r0: number, r1: number): Tensor<D> {
  const rowSize = t.shape.slice(1).reduce((p, d) => p * d, 1);
  return new Tensor(t.dtype, [r1 - r0, ...t.shape.slice(1)], floatData(t).slice(r0 * rowSize, r1 * rowSize) as Tensor<D>["data"]);
}

/** Writes `block` into `target` with its top-left corner at `(r0, c0)`. */
export function placeBlock(target: Tensor<FloatDType>, r0: number, c0: number, block: Tensor<FloatDType>): void {
  const [rows, columns] = block.shape;
  const width = target.shape[1];
  const src = floatData(block);
  const dst = floatData(target);
  for (let i = 0; i < rows; i++) dst.set(src.subarray(i * columns, (i + 1) * columns), (r0 + i) * width + c0);
}

/** Stacks matrices with equal column counts on top of each other. */
export function stackRows<D extends FloatDType>(parts: readonly Tensor<D>[]): Tensor<D> {
  return concat(parts, 0);
}

/** Puts matrices with equal row counts side by side. */
export function stackColumns<D extends FloatDType>(parts: readonly Tensor<D>[]): Tensor<D> {
  return concat(parts, 1);
}
