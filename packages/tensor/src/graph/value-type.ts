import { isDType } from "../dtype.js";
import { GraphError } from "../errors.js";
import { formatShape } from "../shape.js";
import type { ValueType } from "./ir.js";

/** Throws a GraphError naming `what` unless the type has a known dtype and every extent is a non-negative integer or a non-empty symbol. */
export function checkValueType(type: ValueType, what: string): void {
  if (!isDType(type.dtype)) throw new GraphError(`${what}: unknown dtype "${String(type.dtype)}"`);
  const valid = (d: unknown) => (typeof d === "number" ? Number.isInteger(d) && d >= 0 : typeof d === "string" && d !== "");
  if (!Array.isArray(type.shape) || !type.shape.every(valid)) {
    throw new GraphError(`${what}: shape ${formatShape(type.shape)} must hold non-negative integers or symbol names`);
  }
}

/** Formats a type for messages: `float32 [batch, 7]`. */
export function formatValueType(type: ValueType): string {
  return `${type.dtype} ${formatShape(type.shape)}`;
}
