/**
 * The cotangent of a convolution's weight, written with primitives (so it is
 * differentiable again, which Hessian-vector products need).
 */
import { unfold } from "../composites/unfold.js";
import type { Value } from "../core/value.js";
import type { ConvParams } from "./conv2d.js";
import { matmul, swapLastAxes } from "./matmul.js";
import { reduceSum } from "./reduce-sum.js";
import { reshape } from "./reshape.js";

/**
 * `dW = (sum_n unfold(X)_n dY_n^T)^T`, per group: the weight cotangent of
 * `conv2d(x, w)` for the output cotangent `outputCotangent`
 * (`[N, C_out, OH, OW]`), with `w` of shape `weightShape`.
 */
export function convWeightGradient(x: Value, outputCotangent: Value, weightShape: readonly number[], params: ConvParams): Value {
  const [outChannels, groupChannels, kh, kw] = weightShape;
  const { groups } = params;
  const batch = x.shape[0];
  const columns = unfold(x, [kh, kw], params); // [N, C_in * kh * kw, L]
  const length = columns.shape[2];
  const groupedColumns = reshape(columns, [batch, groups, groupChannels * kh * kw, length]);
  const groupedCotangent = reshape(outputCotangent, [batch, groups, outChannels / groups, length]);
  // Computed transposed, columns times the (smaller) transposed cotangent:
  // measured a few percent faster on ORT CPU than the cotangent times the
  // transposed columns (the large operand is read as it is).
  const perExample = matmul(groupedColumns, swapLastAxes(groupedCotangent)); // [N, g, C_in / g * kh * kw, C_out / g]
  return reshape(swapLastAxes(reduceSum(perExample, [0])), weightShape);
}
