/**
 * Erf in float64 for ORT's CPU provider, which has no float64 Erf kernel.
 * The same two expansions as the host kernel (kernels/erf.ts), written with
 * elementwise operators, so both agree to a few ulps:
 *
 * - |x| < 2.5: erf(x) = 2/sqrt(pi) e^(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1))
 *   (Abramowitz & Stegun 7.1.6), 41 terms nested as x (1 + q/3 (1 + q/5 (1 + ...)))
 *   with q = 2x^2, so every constant is a small integer;
 * - 2.5 <= |x| < 6: erf(x) = 1 - e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + ...)))
 *   (A&S 7.1.14), 50 levels;
 * - |x| >= 6: 1 (erfc(6) < 2.2e-17),
 *
 * with the sign of x, and e^(-x^2) computed from x^2 split exactly into two
 * doubles (Dekker) so the rounding of x^2 does not cost x^2 ulps.
 */
import { tensor } from "../../tensor.js";
import type { Lowering, NodeEmitter } from "./node-emitter.js";

const SERIES_TERMS = 41;
const FRACTION_LEVELS = 50;
const SERIES_LIMIT = 2.5;
const SATURATION = 6;

function scalar(emitter: NodeEmitter, value: number): string {
  return emitter.constant("c", tensor(value, { dtype: "float64" }));
}

/** e^(-v^2) with v^2 = hi + lo exactly (Veltkamp split by 2^27 + 1). */
function emitExpNegSquare(emitter: NodeEmitter, v: string): string {
  const hi = emitter.emit("Mul", [v, v]);
  const scaled = emitter.emit("Mul", [v, scalar(emitter, 134217729)]);
  const high = emitter.emit("Sub", [scaled, emitter.emit("Sub", [scaled, v])]);
  const low = emitter.emit("Sub", [v, high]);
  const squareError = emitter.emit("Sub", [emitter.emit("Mul", [high, high]), hi]);
  const cross = emitter.emit("Mul", [emitter.emit("Mul", [high, scalar(emitter, 2)]), low]);
  const lo = emitter.emit("Add", [emitter.emit("Add", [squareError, cross]), emitter.emit("Mul", [low, low])]);
  return emitter.emit("Mul", [emitter.emit("Exp", [emitter.emit("Neg", [hi])]), emitter.emit("Sub", [scalar(emitter, 1), lo])]);
}

/**
 * The series branch at s = min(|x|, 2.5). The coefficients 1/(1*3*...*(2n+1))
 * are not written out: below float32's range they would be merged by ORT's
 * constant sharing (which then returned erf(2.5) off by 1e-13), so the sum is
 * nested with the divisors 2n+1 as constants instead.
 */
function emitSeries(emitter: NodeEmitter, s: string): string {
  const q = emitter.emit("Mul", [emitter.emit("Mul", [s, s]), scalar(emitter, 2)]);
  const one = scalar(emitter, 1);
  let sum = one;
  for (let n = SERIES_TERMS - 1; n >= 1; n--) {
    sum = emitter.emit("Add", [one, emitter.emit("Div", [emitter.emit("Mul", [sum, q]), scalar(emitter, 2 * n + 1)])]);
  }
  const scale = emitter.emit("Mul", [scalar(emitter, 2 / Math.sqrt(Math.PI)), emitExpNegSquare(emitter, s)]);
  return emitter.emit("Mul", [scale, emitter.emit("Mul", [s, sum])]);
}

/** The continued-fraction branch 1 - erfc(t) at t = max(|x|, 2.5). */
function emitContinuedFraction(emitter: NodeEmitter, t: string): string {
  let fraction = t;
  for (let n = FRACTION_LEVELS; n >= 1; n--) fraction = emitter.emit("Add", [t, emitter.emit("Div", [scalar(emitter, n / 2), fraction])]);
  const numerator = emitter.emit("Mul", [scalar(emitter, 1 / Math.sqrt(Math.PI)), emitExpNegSquare(emitter, t)]);
  return emitter.emit("Sub", [scalar(emitter, 1), emitter.emit("Div", [numerator, fraction])]);
}

/** Erf: both branches on clamped arguments (so neither overflows), chosen by Where, times sign(x). */
export const lowerErf: Lowering = (node, emitter) => {
  const x = node.inputs[0];
  const magnitude = emitter.emit("Abs", [x]);
  const limit = scalar(emitter, SERIES_LIMIT);
  const series = emitSeries(emitter, emitter.emit("Min", [magnitude, limit]));
  const fraction = emitContinuedFraction(emitter, emitter.emit("Max", [magnitude, limit]));
  const large = emitter.emit("Where", [emitter.emit("Less", [magnitude, scalar(emitter, SATURATION)]), fraction, scalar(emitter, 1)]);
  const value = emitter.emit("Where", [emitter.emit("Less", [magnitude, limit]), series, large]);
  emitter.emit("Mul", [emitter.emit("Sign", [x]), value], {}, node.outputs[0]);
};
