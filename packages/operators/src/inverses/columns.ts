import { DTypeError, ShapeError, formatShape, type FloatDType } from "@curv/tensor";
import { checkOperator } from "../algorithm-inputs.js";
import type { LinearOperator } from "../linear-operator.js";

/** Columns `columns` of a `[n, k]` row-major matrix, as a `[n, columns.length]` one. */
export function gatherColumns(a: Float64Array, n: number, k: number, columns: readonly number[]): Float64Array {
  const m = columns.length;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) out[i * m + c] = a[i * k + columns[c]];
  return out;
}

/** A preconditioner must be an operator of `A`'s shape and dtype. */
export function checkPreconditioner<D extends FloatDType>(
  preconditioner: LinearOperator<D> | undefined, operator: LinearOperator<D>, who: string,
): LinearOperator<D> | undefined {
  if (preconditioner === undefined) return undefined;
  checkOperator(preconditioner, who, "preconditioner");
  if (preconditioner.shape[0] !== operator.shape[0] || preconditioner.shape[1] !== operator.shape[1]) {
    throw new ShapeError(`${who}: preconditioner must have A's shape ${formatShape(operator.shape)}, got ${formatShape(preconditioner.shape)}`);
  }
  if (preconditioner.dtype !== operator.dtype) {
    throw new DTypeError(`${who}: preconditioner must have A's dtype ${operator.dtype}, got ${preconditioner.dtype}`);
  }
  return preconditioner;
}
