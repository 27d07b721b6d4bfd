/**
 * Host-side moves between the operator's `[P, K]` matrices and the stacked
 * per-parameter tensors `[K, ...shape]` the batched programs take and
 * return (`vmap` puts the K vectors on a leading axis), and the float64
 * accumulator that adds the batches' partial results.
 */
import { Tensor, sizeOf, type FloatDType, type Shape } from "@curv/tensor";

/** The blocks of a `[P, K]` matrix as stacked tensors `[K, ...shapes[i]]`. */
export function stackedBlocks<D extends FloatDType>(matrix: Tensor<D>, shapes: readonly Shape[]): Tensor<D>[] {
  const k = matrix.shape[1];
  let row = 0;
  return shapes.map((shape) => {
    const size = sizeOf(shape);
    const block = new Tensor(matrix.dtype, [size, k], matrix.data.slice(row * k, (row + size) * k) as Tensor<D>["data"]);
    row += size;
    return block.transpose().reshape([k, ...shape]);
  });
}

/**
 * A float64 sum of weighted partial results, laid out as the `[rows, K]`
 * matrix of the result. Adding in float64 keeps a float32 operator's sum
 * over many batches from drifting with the batch order's rounding.
 */
export class WeightedSum {
  readonly rows: number;
  readonly columns: number;
  readonly values: Float64Array;

  constructor(rows: number, columns: number) {
    this.rows = rows;
    this.columns = columns;
    this.values = new Float64Array(rows * columns);
  }

  /** Adds `weight` times stacked blocks `[K, ...shape]`, placed from row `firstRow` on, block after block. */
  addStacked(blocks: readonly Tensor[], weight: number, firstRow = 0): this {
    const k = this.columns;
    let row = firstRow;
    for (const block of blocks) {
      const size = block.size / k;
      const data = block.data as ArrayLike<number>;
      for (let j = 0; j < k; j++) for (let i = 0; i < size; i++) this.values[(row + i) * k + j] += weight * data[j * size + i];
      row += size;
    }
    return this;
  }

  /** The sum as a `[rows, K]` tensor of `dtype`. */
  toTensor<D extends FloatDType>(dtype: D): Tensor<D> {
    const out = new Tensor(dtype, [this.rows, this.columns]);
    out.data.set(this.values);
    return out;
  }
}
