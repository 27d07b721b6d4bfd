/**
 * The primitive vocabulary: every primitive with its rules, one row each.
 * Adding a primitive means writing its file and adding its row here (and a
 * row in the primitive test table). Everything else in @curv/autodiff is
 * composed from these.
 */
import type { PrimitiveEntry } from "../rules/rule-types.js";
import { addP, addRules } from "./add.js";
import { broadcastToP, broadcastToRules } from "./broadcast-to.js";
import { castP, castRules } from "./cast.js";
import { concatP, concatRules } from "./concat.js";
import { conv2dP, conv2dRules } from "./conv2d.js";
import { convTranspose2dP, convTranspose2dRules } from "./conv-transpose2d.js";
import { convWeightGradP, convWeightGradRules } from "./conv-weight-gradient.js";
import { divP, divRules } from "./div.js";
import { equalP, equalRules } from "./equal.js";
import { erfP, erfRules } from "./erf.js";
import { expP, expRules } from "./exp.js";
import { greaterP, greaterRules } from "./greater.js";
import { lessP, lessRules } from "./less.js";
import { logP, logRules } from "./log.js";
import { matmulP, matmulRules } from "./matmul.js";
import { maxPool2dP, maxPool2dRules } from "./max-pool2d.js";
import { maximumP, maximumRules } from "./maximum.js";
import { mulP, mulRules } from "./mul.js";
import { negP, negRules } from "./neg.js";
import { oneHotP, oneHotRules } from "./one-hot.js";
import { padP, padRules } from "./pad.js";
import { powP, powRules } from "./pow.js";
import { reduceMaxP, reduceMaxRules } from "./reduce-max.js";
import { reduceSumP, reduceSumRules } from "./reduce-sum.js";
import { reshapeP, reshapeRules } from "./reshape.js";
import { sigmoidP, sigmoidRules } from "./sigmoid.js";
import { sliceP, sliceRules } from "./slice.js";
import { sqrtP, sqrtRules } from "./sqrt.js";
import { stopGradientP, stopGradientRules } from "./stop-gradient.js";
import { subP, subRules } from "./sub.js";
import { tapP, tapRules } from "./tap.js";
import { transposeP, transposeRules } from "./transpose.js";
import { whereP, whereRules } from "./where.js";

// Each primitive's rules are typed by its own params; the table erases them
// (a rule only ever receives the params its primitive was bound with).
function entry<P extends Record<string, unknown>>(primitive: PrimitiveEntry<P>["primitive"], rules: PrimitiveEntry<P>["rules"]): PrimitiveEntry {
  return { primitive, rules } as unknown as PrimitiveEntry;
}

/**
 * Every primitive and its rules.
 *
 * @example
 * ```ts
 * PRIMITIVES.map((p) => p.primitive.name);   // ["add", "sub", ...]
 * ```
 */
export const PRIMITIVES: readonly PrimitiveEntry[] = [
  // elementwise arithmetic
  entry(addP, addRules),
  entry(subP, subRules),
  entry(mulP, mulRules),
  entry(divP, divRules),
  entry(negP, negRules),
  entry(expP, expRules),
  entry(erfP, erfRules),
  entry(logP, logRules),
  entry(sqrtP, sqrtRules),
  entry(powP, powRules),
  entry(sigmoidP, sigmoidRules),
  entry(maximumP, maximumRules),
  // selection, comparison, conversion
  entry(whereP, whereRules),
  entry(greaterP, greaterRules),
  entry(lessP, lessRules),
  entry(equalP, equalRules),
  entry(castP, castRules),
  entry(stopGradientP, stopGradientRules),
  // linear algebra and layout
  entry(matmulP, matmulRules),
  entry(transposeP, transposeRules),
  entry(reshapeP, reshapeRules),
  entry(broadcastToP, broadcastToRules),
  entry(padP, padRules),
  entry(sliceP, sliceRules),
  entry(concatP, concatRules),
  entry(oneHotP, oneHotRules),
  // reductions
  entry(reduceSumP, reduceSumRules),
  entry(reduceMaxP, reduceMaxRules),
  // convolution and pooling
  entry(conv2dP, conv2dRules),
  entry(convTranspose2dP, convTranspose2dRules),
  entry(convWeightGradP, convWeightGradRules),
  entry(maxPool2dP, maxPool2dRules),
  // layer taps
  entry(tapP, tapRules),
];

export { add, addP } from "./add.js";
export { broadcastTo, broadcastToP, zerosLike } from "./broadcast-to.js";
export { cast, castP } from "./cast.js";
export { concat, concatP } from "./concat.js";
export { conv2d, conv2dP, type Conv2dOptions } from "./conv2d.js";
export { convTranspose2d, convTranspose2dP, type ConvTranspose2dOptions } from "./conv-transpose2d.js";
export { convWeightGrad, convWeightGradP } from "./conv-weight-gradient.js";
export { div, divP } from "./div.js";
export { equal, equalP } from "./equal.js";
export { erf, erfP } from "./erf.js";
export { exp, expP } from "./exp.js";
export { greater, greaterP } from "./greater.js";
export { less, lessP } from "./less.js";
export { log, logP } from "./log.js";
export { matmul, matmulP, swapLastAxes } from "./matmul.js";
export { maxPool2d, maxPool2dP, type MaxPool2dOptions } from "./max-pool2d.js";
export { maximum, maximumP } from "./maximum.js";
export { mul, mulP } from "./mul.js";
export { neg, negP } from "./neg.js";
export { oneHot, oneHotP } from "./one-hot.js";
export { pad, padP } from "./pad.js";
export { pow, powP } from "./pow.js";
export { reduceMax, reduceMaxP } from "./reduce-max.js";
export { reduceSum, reduceSumP } from "./reduce-sum.js";
export { reshape, reshapeP } from "./reshape.js";
export { sigmoid, sigmoidP } from "./sigmoid.js";
export { slice, sliceP, type SliceRange } from "./slice.js";
export { sqrt, sqrtP } from "./sqrt.js";
export { stopGradient, stopGradientP } from "./stop-gradient.js";
export { sub, subP } from "./sub.js";
export { tapLayerInput, tapLayerOutput, tapP, type TapParams } from "./tap.js";
export { transpose, transposeP } from "./transpose.js";
export { where, whereP } from "./where.js";
export type { WindowOptions } from "./conv-geometry.js";
