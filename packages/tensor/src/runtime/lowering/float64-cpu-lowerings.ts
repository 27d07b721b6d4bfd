/**
 * The float64 lowerings for ORT's CPU provider, by operator: the operators
 * of curv's registry that onnxruntime 1.30's CPU provider has no float64
 * kernel for ("Could not find an implementation for Conv(11)"), each
 * rewritten into operators it has. The operator parity test finds any
 * registry operator missing here by compiling every one in float64.
 */
import { lowerAveragePool } from "./average-pool.js";
import { lowerConv } from "./convolution.js";
import { lowerConvTranspose } from "./convolution-transpose.js";
import { lowerErf } from "./error-function.js";
import type { Lowering } from "./node-emitter.js";
import { lowerSoftplus } from "./softplus.js";

export const FLOAT64_CPU_LOWERINGS: ReadonlyMap<string, Lowering> = new Map<string, Lowering>([
  ["Conv", lowerConv],
  ["ConvTranspose", lowerConvTranspose],
  ["AveragePool", lowerAveragePool],
  ["Erf", lowerErf],
  ["Softplus", lowerSoftplus],
]);
