/**
 * AveragePool as the sum of each im2col window divided by the number of
 * elements the window averages: for float64 on ORT's CPU provider, which has
 * no float64 AveragePool kernel, and for ceil_mode on onnxruntime-web's
 * WebGPU provider, which does not implement it.
 */
import { sizeOf, stridesOf } from "../../shape.js";
import { tensor } from "../../tensor.js";
import { staticTail } from "./convolution.js";
import { emitIm2col } from "./im2col.js";
import type { Lowering } from "./node-emitter.js";
import { intAttribute, intsAttribute, slidingWindows, type WindowGeometry } from "./window-geometry.js";

/**
 * How many elements each window averages: those inside the input, plus, with
 * `count_include_pad`, those in the explicit padding (never the extra reach
 * of a `ceil_mode` window past the padding).
 */
export function windowCounts(spatial: readonly number[], geometry: WindowGeometry, includePad: boolean): number[] {
  const { kernel, strides, dilations, padsBegin, padsEnd, output } = geometry;
  // The count is a product over axes, since windows are boxes.
  const perAxis = spatial.map((extent, axis) => {
    const low = includePad ? -padsBegin[axis] : 0;
    const high = includePad ? extent + padsEnd[axis] : extent;
    return Array.from({ length: output[axis] }, (_, o) => {
      let inside = 0;
      for (let k = 0; k < kernel[axis]; k++) {
        const position = o * strides[axis] + k * dilations[axis] - padsBegin[axis];
        if (position >= low && position < high) inside++;
      }
      return inside;
    });
  });
  const outputStrides = stridesOf(output);
  return Array.from({ length: sizeOf(output) }, (_, window) =>
    perAxis.reduce((count, counts, axis) => count * counts[Math.floor(window / outputStrides[axis]) % output[axis]], 1),
  );
}

/** AveragePool (any number of spatial axes, strides, dilations, pads or auto_pad, ceil_mode, count_include_pad). */
export const lowerAveragePool: Lowering = (node, emitter, context) => {
  const x = node.inputs[0];
  const [channels, ...spatial] = staticTail(emitter.typeOf(x), 1, `input "${x}" (all but the batch axis)`, context);
  const kernel = intsAttribute(node, "kernel_shape", []);
  const geometry = slidingWindows(node, spatial, kernel, intAttribute(node, "ceil_mode", 0) === 1);
  const counts = windowCounts(spatial, geometry, intAttribute(node, "count_include_pad", 0) === 1);
  const columns = emitIm2col(emitter, x, channels, spatial, geometry);
  const sums = emitter.emit("ReduceSum", [columns, emitter.int64("kernel_axis", [3])], { keepdims: 0 });
  const dtype = emitter.typeOf(x).dtype;
  const means = emitter.emit("Div", [sums, emitter.constant("window_counts", tensor(counts, { dtype }))]);
  const shape = emitter.int64("output_shape", [-1, channels, ...geometry.output]);
  emitter.emit("Reshape", [means, shape], {}, node.outputs[0]);
};
