import { allocate, isFloat, type FloatDType } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import { formatShape, shapesEqual, sizeOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { broadcastShapesOf, broadcastStrides, forEachBroadcastRow } from "./broadcast.js";
import { gemmInto, type FloatArray } from "./gemm-into.js";

export { gemmInto, type FloatArray } from "./gemm-into.js";

function assertFloatPair(name: string, a: Tensor, b: Tensor): void {
  for (const [arg, t] of [["a", a], ["b", b]] as const) {
    if (!isFloat(t.dtype)) throw new DTypeError(`${name}: argument ${arg}: expected dtype float32 or float64, got ${t.dtype}`);
  }
  if (a.dtype !== b.dtype) throw new DTypeError(`${name}: operands must have the same dtype, got a: ${a.dtype} and b: ${b.dtype}`);
}

/**
 * Matrix product with NumPy `matmul` / ONNX MatMul semantics: the last two
 * axes are matrices and the leading (batch) axes broadcast; a 1-D `a` is a row
 * vector and a 1-D `b` a column vector, and the added axis is removed from the
 * result. Float32 and float64 only; products accumulate in doubles.
 *
 * @example
 * ```ts
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toNested(); // [[17], [39]]
 * matmul(tensor([1, 2]), tensor([[1, 0], [0, 1]])).shape;           // [2]
 * matmul(zeros([5, 2, 3]), zeros([3, 4])).shape;                    // [5, 2, 4]
 * ```
 */
export function matmul<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  assertFloatPair("matmul", a, b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: operands must have rank >= 1, got a: ${formatShape(a.shape)} and b: ${formatShape(b.shape)}`);
  }
  const a2 = a.ndim === 1 ? a.reshape([1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? b.reshape([b.shape[0], 1]) : b;
  const [m, k] = a2.shape.slice(-2);
  const [kb, n] = b2.shape.slice(-2);
  if (k !== kb) {
    throw new ShapeError(`matmul: a ${formatShape(a.shape)} has ${k} columns but b ${formatShape(b.shape)} has ${kb} rows`);
  }
  const batchA = a2.shape.slice(0, -2);
  const batchB = b2.shape.slice(0, -2);
  const batch = shapesEqual(batchA, batchB) ? [...batchA] : broadcastShapesOf([batchA, batchB], "matmul (batch axes)");
  const out = allocate(a.dtype, sizeOf(batch) * m * n);
  // Batch strides in units of whole matrices, 0 along broadcast batch axes.
  const strides = [broadcastStrides(batchA, batch), broadcastStrides(batchB, batch)];
  let batchIndex = 0;
  forEachBroadcastRow(batch, strides, (_, [ia, ib], count, [sa, sb]) => {
    for (let t = 0; t < count; t++, ia += sa, ib += sb, batchIndex++) {
      gemmInto(m, n, k, a.data as FloatArray, ia * m * k, k, 1, b.data as FloatArray, ib * k * n, n, 1, out as FloatArray, batchIndex * m * n, n);
    }
  });
  const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
  return new Tensor(a.dtype, shape, out);
}

/** Options of {@link gemm}, ONNX Gemm's attributes. */
export interface GemmOptions {
  /** Scale of `op(a) op(b)`; default 1. */
  alpha?: number;
  /** Scale of `c`; default 1. With `beta = 0`, `c` is ignored (NaN in it does not propagate, as in BLAS). */
  beta?: number;
  /** Use `a` transposed (`a` is then `[K, M]`); default false. */
  transA?: boolean;
  /** Use `b` transposed (`b` is then `[N, K]`); default false. */
  transB?: boolean;
}

/**
 * ONNX Gemm: `alpha * op(a) op(b) + beta * c` for 2-D `a`, `b`, where `op`
 * transposes when asked, and `c` (optional) broadcasts unidirectionally to the
 * `[M, N]` result (`[]`, `[N]`, `[1, N]`, `[M, 1]`, `[M, N]`, ...).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2]]);                       // [1, 2]
 * const w = tensor([[1, 0], [0, 1], [1, 1]]);       // [3, 2], a Linear layer's weight
 * gemm(x, w, tensor([10, 20, 30]), { transB: true }).toNested(); // [[11, 22, 33]]
 * ```
 */
export function gemm<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>, c?: Tensor<D>, options: GemmOptions = {}): Tensor<D> {
  const { alpha = 1, beta = 1, transA = false, transB = false } = options;
  assertFloatPair("gemm", a, b);
  for (const [arg, t] of [["a", a], ["b", b]] as const) {
    if (t.ndim !== 2) throw new ShapeError(`gemm: argument ${arg} must be 2-D, got shape ${formatShape(t.shape)}`);
  }
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== kb) {
    throw new ShapeError(
      `gemm: op(a) is ${m} x ${k} (a ${formatShape(a.shape)}, transA ${transA}) but op(b) is ${kb} x ${n} (b ${formatShape(b.shape)}, transB ${transB})`,
    );
  }
  const out = new Tensor(a.dtype, [m, n]);
  if (c !== undefined && beta !== 0) fillScaled(out, c, beta);
  const [aRowStride, aColStride] = transA ? [1, m] : [k, 1];
  const [bRowStride, bColStride] = transB ? [1, k] : [n, 1];
  gemmInto(m, n, k, a.data as FloatArray, 0, aRowStride, aColStride, b.data as FloatArray, 0, bRowStride, bColStride, out.data as FloatArray, 0, n, true, alpha);
  return out;
}

/** out = beta * c, with c broadcast unidirectionally to out's [M, N]. */
function fillScaled(out: Tensor, c: Tensor, beta: number): void {
  if (c.dtype !== out.dtype) throw new DTypeError(`gemm: argument c must have the dtype of a and b (${out.dtype}), got ${c.dtype}`);
  const [m, n] = out.shape;
  const fits = c.ndim <= 2 && c.shape.every((d, i) => d === 1 || d === out.shape[i + 2 - c.ndim]);
  if (!fits) throw new ShapeError(`gemm: argument c with shape ${formatShape(c.shape)} does not broadcast to [${m}, ${n}]`);
  const [rowStride, colStride] = broadcastStrides(c.shape, [m, n]);
  const dst = out.data as FloatArray;
  const src = c.data as FloatArray;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) dst[i * n + j] = beta * src[i * rowStride + j * colStride];
}
