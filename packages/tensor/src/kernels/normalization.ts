import { isFloat, type FloatDType } from "../dtype.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape, normalizeAxis, sizeOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { broadcastStrides } from "./broadcast.js";
import type { FloatArray } from "./gemm-into.js";

function assertFloatOperands(what: string, x: Tensor, others: [string, Tensor | undefined][]): void {
  if (!isFloat(x.dtype)) throw new DTypeError(`${what}: argument x: expected dtype float32 or float64, got ${x.dtype}`);
  for (const [name, t] of others) {
    if (t !== undefined && t.dtype !== x.dtype) throw new DTypeError(`${what}: argument ${name} is ${t.dtype} but x is ${x.dtype}`);
  }
}

function assertEpsilon(what: string, epsilon: number): void {
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new ValueError(`${what}: epsilon must be finite and non-negative, got ${epsilon}`);
}

/**
 * Batch normalization in inference mode (ONNX BatchNormalization with
 * `training_mode = 0`, PyTorch `F.batch_norm(training=False)`): per channel c
 * of `x [N, C, ...]`, `y = (x - mean[c]) / sqrt(variance[c] + epsilon) * scale[c] + bias[c]`.
 *
 * @example
 * ```ts
 * const x = tensor([[[1, 3]], [[5, 7]]]);          // [N = 2, C = 1, 2]
 * const [scale, bias, mean, variance] = [tensor([2]), tensor([1]), tensor([4]), tensor([4])];
 * batchNorm(x, scale, bias, mean, variance, 0).toNested(); // [[[-2, 0]], [[2, 4]]]
 * ```
 */
export function batchNorm<D extends FloatDType>(
  x: Tensor<D>,
  scale: Tensor<D>,
  bias: Tensor<D>,
  mean: Tensor<D>,
  variance: Tensor<D>,
  epsilon = 1e-5,
): Tensor<D> {
  const params: [string, Tensor][] = [["scale", scale], ["bias", bias], ["mean", mean], ["variance", variance]];
  assertFloatOperands("batchNorm", x, params);
  assertEpsilon("batchNorm", epsilon);
  if (x.ndim < 2) throw new ShapeError(`batchNorm: argument x must be [N, C, ...], got shape ${formatShape(x.shape)}`);
  const channels = x.shape[1];
  for (const [name, t] of params) {
    if (t.ndim !== 1 || t.shape[0] !== channels) {
      throw new ShapeError(`batchNorm: argument ${name} must have shape [${channels}] (the channels of x ${formatShape(x.shape)}), got ${formatShape(t.shape)}`);
    }
  }
  const plane = sizeOf(x.shape.slice(2));
  const out = new Tensor(x.dtype, x.shape);
  const src = x.data as FloatArray;
  const dst = out.data as FloatArray;
  for (let c = 0; c < channels; c++) {
    // y = x * factor + shift, with factor = scale / sqrt(var + eps) and shift = bias - mean * factor.
    const factor = (scale.data[c] as number) / Math.sqrt((variance.data[c] as number) + epsilon);
    const m = mean.data[c] as number;
    const b = bias.data[c] as number;
    for (let n = 0; n < x.shape[0]; n++) {
      const start = (n * channels + c) * plane;
      for (let i = start; i < start + plane; i++) dst[i] = (src[i] - m) * factor + b;
    }
  }
  return out;
}

/**
 * Layer normalization (ONNX LayerNormalization, PyTorch `F.layer_norm`): each
 * group of elements over the axes `[axis, ..., rank - 1]` is normalized by its
 * own mean and biased variance, then scaled and shifted:
 * `y = (x - mean) / sqrt(var + epsilon) * scale + bias`. `scale` and `bias`
 * broadcast to the normalized shape `x.shape[axis:]`.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 3], [2, 6]]);
 * layerNorm(x, tensor([1, 1]), undefined, -1, 0).toNested(); // [[-1, 1], [-1, 1]]
 * ```
 */
export function layerNorm<D extends FloatDType>(x: Tensor<D>, scale: Tensor<D>, bias?: Tensor<D>, axis = -1, epsilon = 1e-5): Tensor<D> {
  assertFloatOperands("layerNorm", x, [["scale", scale], ["bias", bias]]);
  assertEpsilon("layerNorm", epsilon);
  if (x.ndim === 0) throw new ShapeError("layerNorm: argument x must have rank >= 1, got a scalar");
  const a = normalizeAxis(axis, x.ndim, "layerNorm: axis");
  const normalized = x.shape.slice(a);
  const groupSize = sizeOf(normalized);
  const scaleIndex = parameterIndex("scale", scale, normalized);
  const biasIndex = bias === undefined ? undefined : parameterIndex("bias", bias, normalized);
  const out = new Tensor(x.dtype, x.shape);
  const src = x.data as FloatArray;
  const dst = out.data as FloatArray;
  const gamma = scale.data as FloatArray;
  const beta = bias?.data as FloatArray | undefined;
  for (let start = 0; start < x.size; start += groupSize) {
    // Two passes (mean, then centred squares) avoid the cancellation of E[x^2] - E[x]^2.
    let sum = 0;
    for (let i = 0; i < groupSize; i++) sum += src[start + i];
    const mean = sum / groupSize;
    let squares = 0;
    for (let i = 0; i < groupSize; i++) squares += (src[start + i] - mean) ** 2;
    const inverseStd = 1 / Math.sqrt(squares / groupSize + epsilon);
    for (let i = 0; i < groupSize; i++) {
      const y = (src[start + i] - mean) * inverseStd * gamma[scaleIndex[i]];
      dst[start + i] = biasIndex === undefined ? y : y + beta![biasIndex[i]];
    }
  }
  return out;
}

/** For each position of the normalized shape, the element of a parameter broadcast onto it. */
function parameterIndex(name: string, parameter: Tensor, normalized: readonly number[]): Int32Array {
  const fits = parameter.ndim <= normalized.length && parameter.shape.every((d, i) => d === 1 || d === normalized[normalized.length - parameter.ndim + i]);
  if (!fits) {
    throw new ShapeError(`layerNorm: argument ${name} with shape ${formatShape(parameter.shape)} does not broadcast to the normalized shape ${formatShape(normalized)}`);
  }
  const strides = broadcastStrides(parameter.shape, normalized);
  const index = new Int32Array(sizeOf(normalized));
  const position = new Array<number>(normalized.length).fill(0);
  for (let i = 0; i < index.length; i++) {
    index[i] = position.reduce((o, k, ax) => o + k * strides[ax], 0);
    for (let ax = normalized.length - 1; ax >= 0; ax--) {
      if (++position[ax] < normalized[ax]) break;
      position[ax] = 0;
    }
  }
  return index;
}
