import { allocate, isFloat, type FloatDType } from "../dtype.js";
import { DTypeError } from "../errors.js";
import { normalizeAxis } from "../shape.js";
import { Tensor } from "../tensor.js";
import { reductionLayout } from "./reduction-layout.js";

/**
 * Runs `rowKernel(input, output, start, n)` on every run of `x` along `axis`,
 * moving the axis last for contiguous runs and back afterwards.
 */
function alongAxis<D extends FloatDType>(
  name: string,
  x: Tensor<D>,
  axis: number,
  rowKernel: (input: ArrayLike<number>, output: Float64Array, start: number, n: number) => void,
): Tensor<D> {
  if (!isFloat(x.dtype)) throw new DTypeError(`${name}: argument x: expected dtype float32 or float64, got ${x.dtype}`);
  if (x.ndim === 0) return alongAxis(name, x.reshape([1]), 0, rowKernel).reshape([]);
  const a = normalizeAxis(axis, x.ndim, `${name}: axis`);
  const { data, outer, inner, keptShape, permutation } = reductionLayout(x, [a]);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) rowKernel(data as ArrayLike<number>, out, o * inner, inner);
  const stored = allocate(x.dtype, out.length);
  stored.set(out);
  const moved = new Tensor(x.dtype, [...keptShape, x.shape[a]], stored);
  if (permutation.every((p, i) => p === i)) return moved;
  const inverse = permutation.map((_, i) => permutation.indexOf(i));
  return moved.transpose(inverse);
}

function maxOfRun(input: ArrayLike<number>, start: number, n: number): number {
  let m = -Infinity;
  for (let i = start; i < start + n; i++) if (input[i] > m) m = input[i];
  return m;
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (ONNX Softmax, opset 13+), computed on
 * `x - max(x)` so that no exp overflows. Every run sums to 1.
 *
 * @example
 * ```ts
 * softmax(tensor([[1, 1], [0, 1000]], { dtype: "float64" })).toNested(); // [[0.5, 0.5], [0, 1]]
 * ```
 */
export function softmax<D extends FloatDType>(x: Tensor<D>, axis = -1): Tensor<D> {
  return alongAxis("softmax", x, axis, (input, output, start, n) => {
    const m = maxOfRun(input, start, n);
    let s = 0;
    for (let i = start; i < start + n; i++) s += output[i] = Math.exp(input[i] - m);
    for (let i = start; i < start + n; i++) output[i] /= s;
  });
}

/**
 * `x - log(sum(exp(x)))` along `axis` (ONNX LogSoftmax, opset 13+), computed as
 * `(x - m) - log(sum(exp(x - m)))` with `m` the maximum: exact where
 * `log(softmax(x))` would underflow to -Infinity.
 *
 * @example
 * ```ts
 * logSoftmax(tensor([0, 1000], { dtype: "float64" })).toArray(); // [-1000, 0]
 * ```
 */
export function logSoftmax<D extends FloatDType>(x: Tensor<D>, axis = -1): Tensor<D> {
  return alongAxis("logSoftmax", x, axis, (input, output, start, n) => {
    const m = maxOfRun(input, start, n);
    let s = 0;
    for (let i = start; i < start + n; i++) s += Math.exp(input[i] - m);
    const logSum = Math.log(s);
    for (let i = start; i < start + n; i++) output[i] = input[i] - m - logSum;
  });
}
