/**
 * im2col with ONNX operators: every window of an `[N, C, ...spatial]` input,
 * laid out as `[N, C, windows, kernel elements]`, by zero-padding the input,
 * flattening its spatial axes and gathering with constant int64 indices.
 * Convolutions and pools then become a MatMul or a reduction over the last
 * axis, operators ORT's CPU provider has in float64.
 */
import { sizeOf, stridesOf } from "../../shape.js";
import { Tensor } from "../../tensor.js";
import type { NodeEmitter } from "./node-emitter.js";
import type { WindowGeometry } from "./window-geometry.js";

/** Where the gathered windows come from: the padding applied and the flat index of every window element. */
export interface WindowIndices {
  /** Zero padding actually applied before and after each spatial axis (never negative). */
  readonly padBefore: readonly number[];
  readonly padAfter: readonly number[];
  /** `[windows, kernel elements]` flat indices into the padded spatial axes. */
  readonly indices: Tensor<"int64">;
}

/**
 * The gather indices of every window. Windows start at
 * `o * stride - padsBegin` and step by `dilation`; negative `padsBegin` crops,
 * and the padding after an axis is just what the last window reaches.
 */
export function windowIndices(spatial: readonly number[], geometry: WindowGeometry): WindowIndices {
  const { kernel, strides, dilations, padsBegin, output } = geometry;
  const rank = spatial.length;
  const padBefore = padsBegin.map((p) => Math.max(0, p));
  const padAfter = spatial.map((extent, i) => {
    const reach = (output[i] - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - padsBegin[i];
    return Math.max(0, reach - extent);
  });
  const padded = spatial.map((extent, i) => padBefore[i] + extent + padAfter[i]);
  const paddedStrides = stridesOf(padded);
  const windowCount = sizeOf(output);
  const kernelSize = sizeOf(kernel);
  const data = new BigInt64Array(windowCount * kernelSize);
  const outputStrides = stridesOf(output);
  const kernelStrides = stridesOf(kernel);
  for (let window = 0; window < windowCount; window++) {
    for (let element = 0; element < kernelSize; element++) {
      let flat = 0;
      for (let axis = 0; axis < rank; axis++) {
        const o = Math.floor(window / outputStrides[axis]) % output[axis];
        const k = Math.floor(element / kernelStrides[axis]) % kernel[axis];
        // Position in the unpadded input, then shifted into the padded one.
        const position = o * strides[axis] + k * dilations[axis] - padsBegin[axis];
        flat += (position + padBefore[axis]) * paddedStrides[axis];
      }
      data[window * kernelSize + element] = BigInt(flat);
    }
  }
  return { padBefore, padAfter, indices: new Tensor("int64", [windowCount, kernelSize], data) };
}

/**
 * Emits the im2col of `x` (`[N, channels, ...spatial]`, N possibly symbolic):
 * Pad (when any padding is needed, with the scalar constant `padValue`, zero
 * by default), Reshape to `[N, channels, P]`, Gather on axis 2. Returns the
 * `[N, channels, windows, kernel elements]` value.
 */
export function emitIm2col(
  emitter: NodeEmitter,
  x: string,
  channels: number,
  spatial: readonly number[],
  geometry: WindowGeometry,
  padValue?: string,
): string {
  const { padBefore, padAfter, indices } = windowIndices(spatial, geometry);
  const padded = spatial.map((extent, i) => padBefore[i] + extent + padAfter[i]);
  let source = x;
  if ([...padBefore, ...padAfter].some((p) => p > 0)) {
    const pads = emitter.int64("pads", [0, 0, ...padBefore, 0, 0, ...padAfter]);
    source = emitter.emit("Pad", padValue === undefined ? [x, pads] : [x, pads, padValue]);
  }
  const flat = emitter.emit("Reshape", [source, emitter.int64("flat_shape", [-1, channels, sizeOf(padded)])]);
  return emitter.emit("Gather", [flat, emitter.constant("window_indices", indices)], { axis: 2 });
}
