/**
 * The ONNX lowering of every primitive, as its file writes it.
 */
import type { Primitive } from "../core/primitive.js";
import { PRIMITIVES } from "../primitives/index.js";
import { ruleTable, type OnnxLowering } from "../rules/rule-types.js";

/**
 * The ONNX lowering of every primitive.
 *
 * @example
 * ```ts
 * onnxLowerings.has(expP);   // true
 * ```
 */
export const onnxLowerings: ReadonlyMap<Primitive, OnnxLowering> = ruleTable(PRIMITIVES, "lower");
