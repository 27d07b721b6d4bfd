/**
 * Matrix products: Gemm (what torch.onnx.export writes for `nn.Linear` on
 * 2-D inputs) and MatMul (for other ranks, and for Linear without bias).
 */
import type { Value } from "../core/value.js";
import { add, matmul, mul, reshape, swapLastAxes } from "../primitives/index.js";
import { valueInput } from "./elementwise-operators.js";
import type { NodeContext } from "./node-context.js";
import type { OperatorMapping } from "./operator-mapping.js";

/** `alpha * A' B' + beta * C`, with `A' = A^T` when `transA` and `B' = B^T` when `transB` (ONNX Gemm). */
const gemm: OperatorMapping = (inputs, node: NodeContext) => {
  let a = valueInput(inputs, 0, node);
  let b = valueInput(inputs, 1, node);
  if (a.rank !== 2 || b.rank !== 2) node.fail(`A and B must be matrices, got ${a} and ${b}`);
  if (node.int("transA", 0) !== 0) a = swapLastAxes(a);
  if (node.int("transB", 0) !== 0) b = swapLastAxes(b);
  const alpha = node.float("alpha", 1);
  const beta = node.float("beta", 1);
  let y = matmul(a, b);
  if (alpha !== 1) y = mul(y, alpha);
  if (inputs[2] !== undefined && beta !== 0) {
    const c = valueInput(inputs, 2, node);
    y = add(y, beta === 1 ? c : mul(c, beta));
  }
  return [y];
};

/** NumPy's matmul: a vector operand is a one-row (left) or one-column (right) matrix, and that axis is dropped again. */
function matmulOfAnyRank(a: Value, b: Value): Value {
  const left = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const right = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const product = matmul(left, right);
  const shape = product.shape.filter((_, axis) => !(a.rank === 1 && axis === product.rank - 2) && !(b.rank === 1 && axis === product.rank - 1));
  return shape.length === product.rank ? product : reshape(product, shape);
}

export const DENSE_OPERATORS: Readonly<Record<string, OperatorMapping>> = {
  Gemm: gemm,
  MatMul: (inputs, node: NodeContext) => [matmulOfAnyRank(valueInput(inputs, 0, node), valueInput(inputs, 1, node))],
};
