/**
 * The host side of SINGD's parameter update (`SINGD._step`): the joint
 * gradient `[∇W | ∇b]`, the natural gradient split back into weight and
 * bias, weight decay, momentum and the step; and the finiteness scans a
 * step checks its inputs and outputs with.
 */
import { Tensor, type FloatDType } from "@curv/tensor";
import type { SINGDLayer } from "./singd-layers.js";

/** `[∇W | ∇b] / s_t` as a `[d_out, d_in(+1)]` matrix (a Conv2d weight flattened in (c, kh, kw) order), from the gradients `weight`, `bias`. */
export function jointGradient(layer: SINGDLayer, weightGradient: Tensor, biasGradient: Tensor | undefined, gradScale: number): Tensor<FloatDType> {
  const weight = weightGradient.data as Float32Array | Float64Array;
  const bias = biasGradient?.data as Float32Array | Float64Array | undefined;
  const rows = layer.dimC;
  const weightColumns = weight.length / rows;
  const columns = layer.dimK;
  const out = new Tensor(weightGradient.dtype as FloatDType, [rows, columns]);
  const data = out.data as Float32Array | Float64Array;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < weightColumns; c++) data[r * columns + c] = weight[r * weightColumns + c];
    if (bias !== undefined) data[r * columns + weightColumns] = bias[r];
  }
  if (gradScale !== 1) for (let i = 0; i < data.length; i++) data[i] /= gradScale;
  return out;
}

/**
 * θ − lr·step with step = Δ + γθ, through the momentum buffer when α₂ ≠ 0
 * (SINGD's `_step`): the new parameter and, with momentum, the new buffer
 * (`previous` undefined the first time: the buffer starts as the step).
 */
export function parameterUpdate(
layer: SINGDLayer, current: Tensor<FloatDType>, delta: Float64Array | Float32Array, previous: Tensor<FloatDType> | undefined,
): { parameter: Tensor<FloatDType>; buffer?: Tensor<FloatDType> } {
  const { weightDecay, momentum, lr } = layer.options;
  const theta = current.data as Float32Array | Float64Array;
  const result = new Tensor(current.dtype, current.shape) as Tensor<FloatDType>;
  const values = result.data as Float32Array | Float64Array;
  if (momentum === 0) {
    for (let i = 0; i < values.length; i++) values[i] = theta[i] - lr * (delta[i] + weightDecay * theta[i]);
    return { parameter: result };
  }
  const next = new Tensor(current.dtype, current.shape) as Tensor<FloatDType>;
  const buffer = next.data as Float32Array | Float64Array;
  const before = previous?.data as Float32Array | Float64Array | undefined;
  for (let i = 0; i < values.length; i++) {
    const step = weightDecay === 0 ? delta[i] : delta[i] + weightDecay * theta[i];
    // The first buffer is the step itself (SINGD's buffer starts at 0); read back so its dtype's rounding applies.
    buffer[i] = before === undefined ? step : before[i] * momentum + step;
    values[i] = theta[i] - lr * buffer[i];
  }
  return { parameter: result, buffer: next };
}

/** The natural gradient `[d_out, d_in(+1)]` split into the weight's and the bias' entries. */
export function splitJoint(layer: SINGDLayer, natural: Tensor<FloatDType>): [string, Float32Array | Float64Array][] {
  const data = natural.data as Float32Array | Float64Array;
  if (layer.bias === undefined) return [[layer.weight, data]];
  const rows = layer.dimC;
  const columns = layer.dimK;
  const weightColumns = columns - 1;
  const weight = new Float64Array(rows * weightColumns);
  const bias = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < weightColumns; c++) weight[r * weightColumns + c] = data[r * columns + c];
    bias[r] = data[r * columns + weightColumns];
  }
  return [[layer.weight, weight], [layer.bias, bias]];
}

/** Whether every entry is finite (x − x is 0 exactly for finite x, NaN otherwise). */
export function allFinite(data: Float32Array | Float64Array): boolean {
  return data instanceof Float64Array ? allFinite64(data) : allFinite32(data);
}

// One loop per array type keeps each monomorphic (a shared loop over both runs several times slower).
function allFinite64(data: Float64Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) return false;
  }
  return true;
}

function allFinite32(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) return false;
  }
  return true;
}
