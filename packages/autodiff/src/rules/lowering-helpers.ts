/**
 * Lowerings that map a primitive to one ONNX operator.
 */
import type { AttributeValue } from "@curv/tensor";
import type { Params } from "../core/primitive.js";
import type { OnnxLowering } from "./rule-types.js";

/** Lowers to the ONNX operator `op` on the same operands, with attributes from the params. */
export function lowerTo<P extends Params>(op: string, attributes: (params: P) => Record<string, AttributeValue> = () => ({})): OnnxLowering<P> {
  return (context, inputs, params) => context.builder.op(op, inputs, attributes(params));
}
