/** Matrix products: MatMul (NumPy `matmul` semantics) and Gemm. */
import { ShapeError } from "../../errors.js";
import { gemm, matmul } from "../../kernels/index.js";
import { formatShape } from "../../shape.js";
import type { Tensor } from "../../tensor.js";
import type { Dim } from "../ir.js";
import { broadcastDims, dimsMayBeEqual } from "../symbolic-dim.js";
import { defineOperator } from "./define-operator.js";
import { FLOAT_DTYPES, type OperatorDefinition } from "./operator.js";

type FloatTensor = Tensor<"float32" | "float64">;

/**
 * MatMul's output shape: a 1-D operand is promoted to a matrix (a row on the
 * left, a column on the right) and the added axis dropped again; the leading
 * axes broadcast.
 */
export function matmulShape(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  if (a.length === 0 || b.length === 0) throw new ShapeError(`operands must have rank 1 or more, got ${formatShape(a)} and ${formatShape(b)}`);
  const left = a.length === 1 ? [1, a[0]] : a;
  const right = b.length === 1 ? [b[0], 1] : b;
  const k = left[left.length - 1];
  if (!dimsMayBeEqual(k, right[right.length - 2])) {
    throw new ShapeError(`inner extents differ: ${formatShape(a)} times ${formatShape(b)}`);
  }
  const batch = broadcastDims([left.slice(0, -2), right.slice(0, -2)]);
  const rows = a.length === 1 ? [] : [left[left.length - 2]];
  const columns = b.length === 1 ? [] : [right[right.length - 1]];
  return [...batch, ...rows, ...columns];
}

const MATMUL = defineOperator({
  name: "MatMul",
  inputs: [{ name: "A", type: "T" }, { name: "B", type: "T" }],
  typeConstraints: { T: FLOAT_DTYPES },
  inferTypes: ([a, b]) => [{ dtype: a!.dtype, shape: matmulShape(a!.shape, b!.shape) }],
  evaluate: ([a, b]) => [matmul(a as FloatTensor, b as FloatTensor)],
});

/** Gemm's `[M, N]` output; `C` must broadcast to it one way (each extent 1 or equal). */
function gemmShape(a: readonly Dim[], b: readonly Dim[], c: readonly Dim[] | undefined, transA: boolean, transB: boolean): Dim[] {
  if (a.length !== 2 || b.length !== 2) throw new ShapeError(`A and B must be matrices, got ${formatShape(a)} and ${formatShape(b)}`);
  const [m, ka] = transA ? [a[1], a[0]] : a;
  const [kb, n] = transB ? [b[1], b[0]] : b;
  if (!dimsMayBeEqual(ka, kb)) {
    throw new ShapeError(`inner extents differ: A ${formatShape(a)}${transA ? " (transposed)" : ""} times B ${formatShape(b)}${transB ? " (transposed)" : ""}`);
  }
  const out = [m, n];
  if (c !== undefined) {
    const lead = 2 - c.length;
    const fits = c.length <= 2 && c.every((d, i) => d === 1 || dimsMayBeEqual(d, out[lead + i]));
    if (!fits) throw new ShapeError(`C ${formatShape(c)} does not broadcast to the output ${formatShape(out)}`);
  }
  return out;
}

const GEMM = defineOperator({
  name: "Gemm",
  inputs: [{ name: "A", type: "T" }, { name: "B", type: "T" }, { name: "C", type: "T", optional: true }],
  typeConstraints: { T: FLOAT_DTYPES },
  attributes: {
    alpha: { kind: "float", default: 1 },
    beta: { kind: "float", default: 1 },
    transA: { kind: "int", default: 0 },
    transB: { kind: "int", default: 0 },
  },
  inferTypes: ([a, b, c], attributes) => [
    { dtype: a!.dtype, shape: gemmShape(a!.shape, b!.shape, c?.shape, attributes.int("transA") !== 0, attributes.int("transB") !== 0) },
  ],
  evaluate: ([a, b, c], attributes) => [
    gemm(a as FloatTensor, b as FloatTensor, c as FloatTensor | undefined, {
      alpha: attributes.float("alpha"),
      beta: attributes.float("beta"),
      transA: attributes.int("transA") !== 0,
      transB: attributes.int("transB") !== 0,
    }),
  ],
});

/** MatMul and Gemm. */
export const MATMUL_OPERATORS: readonly OperatorDefinition[] = [MATMUL, GEMM];
