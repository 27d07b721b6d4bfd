import { ShapeError, Tensor, formatShape, type FloatDType } from "@curv/tensor";
import { floatData } from "./matrix-blocks.js";

/**
 * The dense product `a · b` of two matrices of one dtype. Every dense product
 * the structures need goes through here, so that the blocked host kernel of
 * @curv/tensor can replace this loop in one place once it lands.
 *
 * Accumulates each output row in float64 and rounds once when storing, so a
 * float32 result is the correctly rounded float64 product of its inputs.
 */
export function matmul<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  if (a.ndim !== 2 || b.ndim !== 2 || a.shape[1] !== b.shape[0]) {
    throw new ShapeError(`matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}`);
  }
  const [rows, inner] = a.shape;
  const columns = b.shape[1];
  const out = new Tensor(a.dtype, [rows, columns]);
  const x = floatData(a);
  const y = floatData(b);
  const z = floatData(out);
  const row = new Float64Array(columns);
  for (let i = 0; i < rows; i++) {
    row.fill(0);
    for (let k = 0; k < inner; k++) {
      const aik = x[i * inner + k];
      if (aik === 0) continue;
      const offset = k * columns;
      for (let j = 0; j < columns; j++) row[j] += aik * y[offset + j];
    }
    z.set(row, i * columns);
  }
  return out;
}
