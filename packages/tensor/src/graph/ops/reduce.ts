/**
 * Reductions and normalizing reductions: ReduceSum (axes as an input, as in
 * opset 13+), ReduceMean/ReduceMax/ReduceMin (axes as an attribute until opset
 * 18), ArgMax, Softmax and LogSoftmax (opset 13: a single axis).
 */
import { GraphError } from "../../errors.js";
import { argMax, logSoftmax, max, mean, min, softmax, sum } from "../../kernels/index.js";
import type { Tensor } from "../../tensor.js";
import type { Dim } from "../ir.js";
import { UNKNOWN_DIM } from "../symbolic-dim.js";
import { attributeError, type AttributeReader } from "./attributes.js";
import { attributeAxis, normalizeAxesOf } from "./axes.js";
import { integersOf } from "./constant-operands.js";
import { defineOperator } from "./define-operator.js";
import { FLOAT_DTYPES, INT64_DTYPES, NUMERIC_DTYPES, type OperatorDefinition } from "./operator.js";

type NumericTensor = Tensor<"float32" | "float64" | "int32" | "int64">;
type Reduction = (x: NumericTensor, axes: readonly number[] | undefined, keepdims: boolean) => Tensor;

/** The shape left after reducing `axes` (all axes when empty). */
function reducedShape(shape: readonly Dim[], axes: readonly number[], keepdims: boolean): Dim[] {
  const all = axes.length === 0;
  if (keepdims) return shape.map((d, i) => (all || axes.includes(i) ? 1 : d));
  return shape.filter((_, i) => !all && !axes.includes(i));
}

const AXES_INPUT = 'input 1 ("axes")';

const REDUCE_SUM = defineOperator({
  name: "ReduceSum",
  inputs: [{ name: "data", type: "T" }, { name: "axes", type: "I", optional: true }],
  typeConstraints: { T: NUMERIC_DTYPES, I: INT64_DTYPES },
  attributes: { keepdims: { kind: "int", default: 1 }, noop_with_empty_axes: { kind: "int", default: 0 } },
  inferTypes([x, axesType], attributes, constants) {
    const keepdims = attributes.int("keepdims") !== 0;
    const given = integersOf(constants[1], AXES_INPUT);
    if (axesType !== undefined && given === undefined) {
      // Which axes shrink is unknown; with keepdims the rank is still known.
      if (!keepdims) throw new GraphError(`${AXES_INPUT} must be a constant when keepdims is 0, since it decides the output rank`);
      return [{ dtype: x!.dtype, shape: x!.shape.map(() => UNKNOWN_DIM) }];
    }
    const axes = normalizeAxesOf(AXES_INPUT, given ?? [], x!.shape.length);
    if (axes.length === 0 && attributes.int("noop_with_empty_axes") !== 0) return [{ dtype: x!.dtype, shape: x!.shape }];
    return [{ dtype: x!.dtype, shape: reducedShape(x!.shape, axes, keepdims) }];
  },
  evaluate([x, axesValue], attributes) {
    const axes = normalizeAxesOf(AXES_INPUT, integersOf(axesValue, AXES_INPUT) ?? [], x!.ndim);
    if (axes.length === 0 && attributes.int("noop_with_empty_axes") !== 0) return [x!];
    return [sum(x as NumericTensor, axes, attributes.int("keepdims") !== 0)];
  },
});

function attributeAxes(attributes: AttributeReader, rank: number): number[] {
  return normalizeAxesOf('attribute "axes"', attributes.ints("axes", []), rank);
}

/** ReduceMean, ReduceMax and ReduceMin: axes as an attribute, empty or absent meaning all. */
function attributeReduction(name: string, reduce: Reduction): OperatorDefinition {
  return defineOperator({
    name,
    inputs: [{ name: "data", type: "T" }],
    typeConstraints: { T: NUMERIC_DTYPES },
    attributes: { axes: { kind: "ints" }, keepdims: { kind: "int", default: 1 } },
    inferTypes: ([x], attributes) => [
      { dtype: x!.dtype, shape: reducedShape(x!.shape, attributeAxes(attributes, x!.shape.length), attributes.int("keepdims") !== 0) },
    ],
    evaluate: ([x], attributes) => [reduce(x as NumericTensor, attributeAxes(attributes, x!.ndim), attributes.int("keepdims") !== 0)],
  });
}

const ARG_MAX = defineOperator({
  name: "ArgMax",
  inputs: [{ name: "data", type: "T" }],
  typeConstraints: { T: NUMERIC_DTYPES },
  attributes: { axis: { kind: "int", default: 0 }, keepdims: { kind: "int", default: 1 }, select_last_index: { kind: "int", default: 0 } },
  inferTypes([x], attributes) {
    if (attributes.int("select_last_index") !== 0) throw attributeError("select_last_index", "= 1 is not supported (ties pick the first index)");
    const axis = attributeAxis("axis", attributes.int("axis"), x!.shape.length);
    return [{ dtype: "int64", shape: reducedShape(x!.shape, [axis], attributes.int("keepdims") !== 0) }];
  },
  evaluate: ([x], attributes) => [argMax(x!, attributeAxis("axis", attributes.int("axis"), x!.ndim), attributes.int("keepdims") !== 0)],
});

/** Softmax and LogSoftmax along one axis (opset 13 semantics, default the last). */
function normalizingReduction(name: string, kernel: (x: Tensor<"float32" | "float64">, axis: number) => Tensor): OperatorDefinition {
  return defineOperator({
    name,
    inputs: [{ name: "input", type: "T" }],
    typeConstraints: { T: FLOAT_DTYPES },
    attributes: { axis: { kind: "int", default: -1 } },
    inferTypes([x], attributes) {
      attributeAxis("axis", attributes.int("axis"), x!.shape.length);
      return [{ dtype: x!.dtype, shape: x!.shape }];
    },
    evaluate: ([x], attributes) => [kernel(x as Tensor<"float32" | "float64">, attributeAxis("axis", attributes.int("axis"), x!.ndim))],
  });
}

/** The reductions, ArgMax, Softmax and LogSoftmax. */
export const REDUCE_OPERATORS: readonly OperatorDefinition[] = [
  REDUCE_SUM,
  attributeReduction("ReduceMean", mean),
  attributeReduction("ReduceMax", max),
  attributeReduction("ReduceMin", min),
  ARG_MAX,
  normalizingReduction("Softmax", softmax),
  normalizingReduction("LogSoftmax", logSoftmax),
];
