/**
 * The float64 lowerings for ORT's CPU provider, by operator: the operators
 * of curv's registry that onnxruntime 1.30's CPU provider has no float64
 * kernel for ("Could not find an implementation for Conv(11)"), each
 * rewritten into operators it has. The operator parity test finds any
 * registry operator missing here by running every one in float64.
 */
import type { Node, ValueType } from "../../graph/ir.js";
import { lowerAveragePool } from "./average-pool.js";
import { lowerConv } from "./convolution.js";
import { lowerConvTranspose } from "./convolution-transpose.js";
import { lowerErf } from "./error-function.js";
import { lowerGlobalAveragePool } from "./global-average-pool.js";
import type { Lowering } from "./node-emitter.js";
import { lowerOneHot } from "./one-hot.js";
import { lowerSoftplus } from "./softplus.js";

/** A lowering and the input whose dtype decides whether the node computes in float64. */
export interface Float64Lowering {
  readonly lower: Lowering;
  /** The position of the input that carries the node's float type (0 for most operators). */
  readonly floatInput: number;
}

export const FLOAT64_CPU_LOWERINGS: ReadonlyMap<string, Float64Lowering> = new Map<string, Float64Lowering>([
  ["Conv", { lower: lowerConv, floatInput: 0 }],
  ["ConvTranspose", { lower: lowerConvTranspose, floatInput: 0 }],
  ["AveragePool", { lower: lowerAveragePool, floatInput: 0 }],
  ["GlobalAveragePool", { lower: lowerGlobalAveragePool, floatInput: 0 }],
  ["Erf", { lower: lowerErf, floatInput: 0 }],
  ["Softplus", { lower: lowerSoftplus, floatInput: 0 }],
  ["OneHot", { lower: lowerOneHot, floatInput: 2 }],
]);

/** The lowering `node` needs on ORT's CPU provider, or undefined. */
export function float64LoweringOf(node: Node, types: ReadonlyMap<string, ValueType>): Lowering | undefined {
  const entry = FLOAT64_CPU_LOWERINGS.get(node.op);
  if (entry === undefined) return undefined;
  const carrier = node.inputs[entry.floatInput];
  return carrier !== undefined && types.get(carrier)?.dtype === "float64" ? entry.lower : undefined;
}
