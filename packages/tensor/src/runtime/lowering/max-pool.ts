/**
 * MaxPool (values only) as the maximum over each im2col window, the input
 * padded with -Infinity: for onnxruntime-web's WebGPU provider, whose kernel
 * computes dilated windows wrongly and does not implement ceil_mode.
 */
import { tensor } from "../../tensor.js";
import { staticTail } from "./convolution.js";
import { emitIm2col } from "./im2col.js";
import type { Lowering } from "./node-emitter.js";
import { intAttribute, intsAttribute, slidingWindows } from "./window-geometry.js";

export const lowerMaxPool: Lowering = (node, emitter, context) => {
  const x = node.inputs[0];
  const type = emitter.typeOf(x);
  const [channels, ...spatial] = staticTail(type, 1, `input "${x}" (all but the batch axis)`, context);
  const geometry = slidingWindows(node, spatial, intsAttribute(node, "kernel_shape", []), intAttribute(node, "ceil_mode", 0) === 1);
  const lowest = emitter.constant("lowest", tensor(-Infinity, { dtype: type.dtype }));
  const columns = emitIm2col(emitter, x, channels, spatial, geometry, lowest);
  const maxima = emitter.emit("ReduceMax", [columns], { axes: [3], keepdims: 0 });
  emitter.emit("Reshape", [maxima, emitter.int64("output_shape", [-1, channels, ...geometry.output])], {}, node.outputs[0]);
};
