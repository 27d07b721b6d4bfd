/**
 * OneHot with float64 values for ORT's CPU provider, whose OneHot kernels
 * cover a few type combinations and none with float64 values: an int64
 * OneHot of 0/1 (a combination it has) picks, by Where, between the two
 * given values. Indices and depth are cast to int64 first, so negative
 * indices count from the end as ONNX says, by ORT's own kernel.
 */
import { tensor } from "../../tensor.js";
import type { Lowering, NodeEmitter } from "./node-emitter.js";

function asInt64(emitter: NodeEmitter, value: string): string {
  return emitter.typeOf(value).dtype === "int64" ? value : emitter.emit("Cast", [value], { to: 7 });
}

export const lowerOneHot: Lowering = (node, emitter) => {
  const [indices, depth, values] = node.inputs;
  const zeroOne = emitter.constant("zero_one", tensor([0, 1], { dtype: "int64" }));
  const axis = node.attributes.axis ?? -1;
  const selector = emitter.emit("OneHot", [asInt64(emitter, indices), asInt64(emitter, depth), zeroOne], { axis });
  const mask = emitter.emit("Cast", [selector], { to: 9 });
  const off = emitter.emit("Gather", [values, emitter.constant("off_index", tensor(0, { dtype: "int64" }))]);
  const on = emitter.emit("Gather", [values, emitter.constant("on_index", tensor(1, { dtype: "int64" }))]);
  emitter.emit("Where", [mask, on, off], {}, node.outputs[0]);
};
