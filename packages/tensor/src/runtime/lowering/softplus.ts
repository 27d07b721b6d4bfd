/**
 * Softplus in float64 for ORT's CPU provider, which has no float64 Softplus
 * kernel: max(x, 0) + log1p(e^-|x|), the form that neither overflows nor
 * loses the small values for very negative x. ONNX has no log1p, so it is
 * Goldberg's formula log1p(u) = log(1 + u) * u / ((1 + u) - 1), exact to a
 * few ulps, and u itself where 1 + u rounds to 1 (D. Goldberg, "What every
 * computer scientist should know about floating-point arithmetic", 1991,
 * Theorem 4).
 */
import { tensor } from "../../tensor.js";
import type { Lowering } from "./node-emitter.js";

export const lowerSoftplus: Lowering = (node, emitter) => {
  const x = node.inputs[0];
  const one = emitter.constant("one", tensor(1, { dtype: "float64" }));
  const zero = emitter.constant("zero", tensor(0, { dtype: "float64" }));
  const u = emitter.emit("Exp", [emitter.emit("Neg", [emitter.emit("Abs", [x])])]);
  const onePlusU = emitter.emit("Add", [one, u]);
  const roundedU = emitter.emit("Sub", [onePlusU, one]);
  const corrected = emitter.emit("Div", [emitter.emit("Mul", [emitter.emit("Log", [onePlusU]), u]), roundedU]);
  const log1p = emitter.emit("Where", [emitter.emit("Equal", [roundedU, zero]), u, corrected]);
  emitter.emit("Add", [emitter.emit("Relu", [x]), log1p], {}, node.outputs[0]);
};
