/**
 * The primitive table: one derivative-check row per primitive, shared by the
 * primitive tests and the batching tests.
 */
import { Generator, Tensor, type FloatDType } from "@curv/tensor";
import type { Primitive } from "../core/primitive.js";
import {
  add, addP, broadcastTo, broadcastToP, cast, castP, concat, concatP, conv2d, conv2dP, convTranspose2d, convTranspose2dP, convWeightGrad, convWeightGradP, div, divP,
  equal, equalP, erf, erfP, exp, expP, greater, greaterP, less, lessP, log, logP, matmul, matmulP, maximum, maximumP, maxPool2d, maxPool2dP,
  mul, mulP, neg, negP, oneHot, oneHotP, pad, padP, pow, powP, reduceMax, reduceMaxP, reduceSum, reduceSumP, reshape,
  reshapeP, sigmoid, sigmoidP, slice, sliceP, sqrt, sqrtP, stopGradient, stopGradientP, sub, subP, transpose, transposeP, where,
  whereP, tapLayerOutput, tapP,
} from "../primitives/index.js";
import { convParams } from "../primitives/conv2d.js";
import type { DerivativeCase } from "./derivative-check.js";

/** A derivative case that covers one primitive. */
export interface PrimitiveRow extends DerivativeCase {
  readonly primitive: Primitive;
}

/** `b = a ± (0.3 + u)`: operands that never tie, even after a finite-difference step. */
export function apart(shape: number[]) {
  return (generator: Generator, dtype: FloatDType): Tensor[] => {
    const a = generator.normal(shape, { dtype });
    const gap = generator.uniform(shape, { low: 0.3, high: 1, dtype });
    const sign = generator.rademacher(shape, dtype);
    const b = new Tensor(dtype, shape, a.data.map((x, i) => x + sign.data[i] * gap.data[i]) as Float64Array);
    return [a, b];
  };
}

/** Normal values away from 0 (|x| >= 0.2), for selections on the sign. */
export function awayFromZero(generator: Generator, dtype: FloatDType, shape: number[]): Tensor {
  const x = generator.normal(shape, { dtype });
  return new Tensor(dtype, shape, x.data.map((v) => (Math.abs(v) < 0.2 ? v + Math.sign(v || 1) * 0.2 : v)) as Float64Array);
}

const real = (...shape: number[]) => ({ shape });
const positive = (...shape: number[]) => ({ shape, domain: "positive" as const });
const labels = (classes: number, ...shape: number[]) => ({ shape, domain: "labels" as const, classes });
const fixed = (...shape: number[]) => ({ shape, fixed: true });

/** One row per primitive. */
export const PRIMITIVE_ROWS: readonly PrimitiveRow[] = [
  { name: "add (broadcast)", primitive: addP, operands: [real(3, 4), real(4)], f: ([a, b]) => add(a, b) },
  { name: "sub (broadcast both)", primitive: subP, operands: [real(3, 1), real(1, 4)], f: ([a, b]) => sub(a, b) },
  { name: "mul (broadcast)", primitive: mulP, operands: [real(3, 4), real(3, 1)], f: ([a, b]) => mul(a, b) },
  { name: "div", primitive: divP, operands: [real(3, 4), positive(4)], f: ([a, b]) => div(a, b) },
  { name: "neg", primitive: negP, operands: [real(2, 3)], f: ([x]) => neg(x) },
  { name: "exp", primitive: expP, operands: [real(2, 3)], f: ([x]) => exp(x) },
  { name: "erf", primitive: erfP, operands: [real(2, 3)], f: ([x]) => erf(x) },
  { name: "log", primitive: logP, operands: [positive(2, 3)], f: ([x]) => log(x) },
  { name: "sqrt", primitive: sqrtP, operands: [positive(2, 3)], f: ([x]) => sqrt(x) },
  { name: "pow 2.5", primitive: powP, operands: [positive(2, 3)], f: ([x]) => pow(x, 2.5) },
  { name: "sigmoid", primitive: sigmoidP, operands: [real(2, 3)], f: ([x]) => sigmoid(x) },
  { name: "maximum", primitive: maximumP, operands: [real(3, 4), real(3, 4)], f: ([a, b]) => maximum(a, b), draw: apart([3, 4]) },
  {
    name: "where on the sign of a fixed operand", primitive: whereP, operands: [real(3, 4), real(3, 4), fixed(3, 4)],
    f: ([a, b, c]) => where(greater(c, 0), mul(a, a), b),
    draw: (g, dtype) => [g.normal([3, 4], { dtype }), g.normal([3, 4], { dtype }), awayFromZero(g, dtype, [3, 4])],
  },
  { name: "greater", primitive: greaterP, operands: [real(3, 4), real(3, 4)], f: ([a, b]) => mul(cast(greater(a, b), a.dtype), a), draw: apart([3, 4]) },
  { name: "less", primitive: lessP, operands: [real(3, 4), real(3, 4)], f: ([a, b]) => mul(cast(less(a, b), a.dtype), b), draw: apart([3, 4]) },
  { name: "equal (class indices)", primitive: equalP, operands: [real(6), labels(2, 6), labels(2, 6)], f: ([x, p, q]) => mul(x, cast(equal(p, q), x.dtype)) },
  { name: "cast (int to float)", primitive: castP, operands: [real(5), labels(4, 5)], f: ([x, k]) => mul(exp(x), cast(k, x.dtype)) },
  { name: "stopGradient", primitive: stopGradientP, operands: [real(2, 3), fixed(2, 3)], f: ([x, y]) => mul(exp(x), stopGradient(y)) },
  { name: "matmul (batch broadcast)", primitive: matmulP, operands: [real(2, 3, 4), real(4, 5)], f: ([a, b]) => matmul(a, b) },
  { name: "transpose", primitive: transposeP, operands: [real(2, 3, 4)], f: ([x]) => transpose(mul(x, x), [2, 0, 1]) },
  { name: "reshape", primitive: reshapeP, operands: [real(2, 3, 4)], f: ([x]) => reshape(mul(x, x), [6, -1]) },
  { name: "broadcastTo", primitive: broadcastToP, operands: [real(3, 1)], f: ([x]) => broadcastTo(mul(x, x), [2, 3, 4]) },
  { name: "pad (value 0.5)", primitive: padP, operands: [real(2, 3)], f: ([x]) => pad(mul(x, x), [1, 0], [0, 2], 0.5) },
  { name: "slice", primitive: sliceP, operands: [real(4, 5)], f: ([x]) => slice(mul(x, x), [[0, 1, 3], [1, 0, 4]]) },
  { name: "concat", primitive: concatP, operands: [real(2, 3), real(2, 1)], f: ([a, b]) => concat([mul(a, a), b], 1) },
  { name: "oneHot", primitive: oneHotP, operands: [real(3, 4), labels(4, 3)], f: ([x, k]) => mul(exp(x), oneHot(k, 4, x.dtype)) },
  { name: "reduceSum", primitive: reduceSumP, operands: [real(2, 3, 4)], f: ([x]) => reduceSum(mul(x, x), [0, 2]) },
  { name: "reduceMax", primitive: reduceMaxP, operands: [real(3, 4)], f: ([x]) => reduceMax(mul(x, x), [1], true) },
  {
    name: "conv2d (stride 2, padding 1, groups 2)", primitive: conv2dP, operands: [real(2, 4, 5, 5), real(6, 2, 3, 3)],
    f: ([x, w]) => conv2d(x, w, { stride: 2, padding: 1, groups: 2 }),
  },
  {
    name: "conv2d (dilation 2, asymmetric padding)", primitive: conv2dP, operands: [real(1, 2, 6, 5), real(3, 2, 2, 3)],
    f: ([x, w]) => conv2d(x, w, { dilation: 2, padding: [1, 0, 0, 2] }),
  },
  {
    name: "convTranspose2d (stride 2, padding 1, groups 2)", primitive: convTranspose2dP, operands: [real(2, 6, 3, 3), real(6, 2, 3, 3)],
    f: ([y, w]) => convTranspose2d(y, w, { stride: 2, padding: 1, groups: 2, outputSize: [6, 6] }),
  },
  {
    name: "convWeightGrad (stride 2, padding 1, groups 2, cropped)", primitive: convWeightGradP, operands: [real(2, 4, 6, 6), real(2, 6, 3, 3)],
    f: ([x, dy]) => convWeightGrad(x, dy, [3, 3], convParams("convWeightGrad", { stride: 2, padding: 1, groups: 2 })),
  },
  {
    name: "convWeightGrad (dilation 2, asymmetric padding)", primitive: convWeightGradP, operands: [real(1, 2, 6, 5), real(1, 3, 5, 3)],
    f: ([x, dy]) => convWeightGrad(x, dy, [2, 3], convParams("convWeightGrad", { dilation: 2, padding: [1, 0, 0, 2] })),
  },
  {
    name: "convWeightGrad (stride 2, one channel, last row unread)", primitive: convWeightGradP, operands: [real(2, 1, 6, 6), real(2, 3, 2, 2)],
    f: ([x, dy]) => convWeightGrad(x, dy, [3, 3], convParams("convWeightGrad", { stride: 2 })),
  },
  {
    name: "maxPool2d (kernel 3, stride 2, padding 1)", primitive: maxPool2dP, operands: [real(2, 3, 5, 5)],
    f: ([x]) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
  },
  { name: "tap", primitive: tapP, operands: [real(2, 3)], f: ([x]) => mul(tapLayerOutput(exp(x), "layer"), x) },
];

