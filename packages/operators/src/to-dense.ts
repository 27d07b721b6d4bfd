import { formatBytes, ResourceLimitError, Tensor, ValueError, type FloatDType } from "@curv/tensor";
import type { LinearOperator } from "./linear-operator.js";
import { createProgressBar, type ProgressOptions } from "./progress.js";

/** Options of {@link LinearOperator.toDense}. */
export interface ToDenseOptions extends ProgressOptions {
  /**
   * Identity columns per `matmat`; default 256. Larger chunks mean fewer
   * (batched) products and more memory: a chunk holds `cols × chunkSize`
   * inputs and `rows × chunkSize` outputs.
   */
  chunkSize?: number;
  /**
   * The most bytes the dense result may take; checked before anything is
   * computed. Default: no budget (only the limit of one typed array,
   * 2^32 - 1 entries, which is always checked).
   */
  maxBytes?: number;
}

/** The most entries one typed array holds in V8 on 64-bit Node. */
const MAX_ARRAY_ENTRIES = 2 ** 32 - 1;

const DEFAULT_CHUNK_SIZE = 256;

/** Columns `start, ..., start + count - 1` of the `n × n` identity. */
function identityColumns<D extends FloatDType>(n: number, start: number, count: number, dtype: D): Tensor<D> {
  const columns = new Tensor(dtype, [n, count]);
  for (let j = 0; j < count; j++) columns.data[(start + j) * count + j] = 1;
  return columns;
}

/**
 * The dense `[rows, cols]` matrix of an operator, built as `A · I` from
 * batched `matmat`s with chunks of identity columns (a curvature operator then
 * runs one batched program per chunk and data batch, not one per column).
 */
export async function denseMatrixOf<D extends FloatDType>(operator: LinearOperator<D>, options: ToDenseOptions = {}): Promise<Tensor<D>> {
  const { chunkSize = DEFAULT_CHUNK_SIZE, progressbar = false } = options;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new ValueError(`${operator.constructor.name}.toDense: chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const [rows, cols] = operator.shape;
  const bytes = rows * cols * (operator.dtype === "float64" ? 8 : 4);
  const tooMany = rows * cols > MAX_ARRAY_ENTRIES;
  if (tooMany || (options.maxBytes !== undefined && bytes > options.maxBytes)) {
    const why = tooMany ? `has ${rows * cols} entries, more than one array holds (${MAX_ARRAY_ENTRIES})` : `needs ${formatBytes(bytes)}, over maxBytes ${formatBytes(options.maxBytes as number)}`;
    throw new ResourceLimitError(`${operator.constructor.name}.toDense: the ${rows} x ${cols} matrix (${operator.dtype}) is too large: it ${why}; use matvec or matmat with the vectors you need`);
  }
  const dense = new Tensor(operator.dtype, [rows, cols]);
  const bar = createProgressBar({ total: Math.ceil(cols / chunkSize), label: `${operator.constructor.name}.toDense`, enabled: progressbar });
  try {
    for (let start = 0; start < cols; start += chunkSize) {
      const count = Math.min(chunkSize, cols - start);
      const block = await operator.matmat(identityColumns(cols, start, count, operator.dtype));
      for (let i = 0; i < rows; i++) dense.data.set(block.data.subarray(i * count, (i + 1) * count), i * cols + start);
      bar.advance();
    }
  } finally {
    bar.finish();
  }
  return dense;
}
