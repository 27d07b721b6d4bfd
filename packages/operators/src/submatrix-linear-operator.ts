import { Tensor, ValueError, type FloatDType } from "@curv/tensor";
import { LinearOperator } from "./linear-operator.js";

/** Checks one index list of {@link SubmatrixLinearOperator}: integers in `[0, extent)`, no repeats. */
function checkIndices(indices: readonly number[], extent: number, name: string, axis: string): readonly number[] {
  const who = "SubmatrixLinearOperator";
  if (!Array.isArray(indices)) throw new ValueError(`${who}: ${name} must be an array of integers, got ${typeof indices}`);
  const seen = new Map<number, number>();
  indices.forEach((index, position) => {
    if (typeof index !== "number" || !Number.isInteger(index)) {
      throw new ValueError(`${who}: ${name}[${position}] = ${String(index)} is not an integer`);
    }
    if (index < 0 || index >= extent) {
      throw new ValueError(`${who}: ${name}[${position}] = ${index} is out of range for A's ${extent} ${axis} (valid: 0 to ${extent - 1})`);
    }
    const first = seen.get(index);
    if (first !== undefined) throw new ValueError(`${who}: ${name}[${position}] = ${index} repeats ${name}[${first}]; indices must be unique`);
    seen.set(index, position);
  });
  return Object.freeze([...indices]);
}

/**
 * The sub-matrix `A[rowIdxs][:, colIdxs]` of an operator (curvlinops'
 * `SubmatrixLinearOperator`), in the order the indices are given. A product
 * scatters its operand into the selected columns of a zero `[A.cols, K]`
 * matrix, multiplies by `A` once, and gathers the selected rows. The adjoint
 * is the sub-matrix of `Aᵀ` with the index lists swapped.
 *
 * Indices must be unique integers in range; a `ValueError` names the first
 * bad one. curvlinops' `set_submatrix` has no counterpart: operators are
 * immutable, so build a new one.
 *
 * @example
 * ```ts
 * const a = new DenseLinearOperator(tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], { dtype: "float64" }));
 * const block = new SubmatrixLinearOperator(a, [2, 0], [1]);   // 2 x 1
 * (await block.toDense()).toNested();                          // [[8], [2]], from one product with A
 * ```
 */
export class SubmatrixLinearOperator<D extends FloatDType = FloatDType> extends LinearOperator<D> {
  readonly operator: LinearOperator<D>;
  readonly rowIdxs: readonly number[];
  readonly colIdxs: readonly number[];

  constructor(operator: LinearOperator<D>, rowIdxs: readonly number[], colIdxs: readonly number[]) {
    if (!(operator instanceof LinearOperator)) throw new ValueError("SubmatrixLinearOperator: A must be a LinearOperator");
    const rows = checkIndices(rowIdxs, operator.shape[0], "rowIdxs", "rows");
    const cols = checkIndices(colIdxs, operator.shape[1], "colIdxs", "columns");
    super({ dtype: operator.dtype, inputShapes: [[cols.length]], outputShapes: [[rows.length]] });
    this.operator = operator;
    this.rowIdxs = rows;
    this.colIdxs = cols;
  }

  protected async matmatImpl(x: Tensor<D>): Promise<Tensor<D>> {
    const k = x.shape[1];
    const padded = new Tensor(this.dtype, [this.operator.shape[1], k]);
    this.colIdxs.forEach((col, j) => padded.data.set(x.data.subarray(j * k, (j + 1) * k), col * k));
    const full = await this.operator.matmat(padded);
    const out = new Tensor(this.dtype, [this.rowIdxs.length, k]);
    this.rowIdxs.forEach((row, i) => out.data.set(full.data.subarray(row * k, (row + 1) * k), i * k));
    return out;
  }

  /** Self-adjoint when `A` is and the rows picked are the columns picked, in the same order. */
  override get isSelfAdjoint(): boolean {
    return this.operator.isSelfAdjoint && this.rowIdxs.length === this.colIdxs.length && this.rowIdxs.every((r, i) => r === this.colIdxs[i]);
  }

  adjoint(): LinearOperator<D> {
    if (this.isSelfAdjoint) return this;
    return new SubmatrixLinearOperator(this.operator.adjoint(), this.colIdxs, this.rowIdxs);
  }
}
