/**
 * Operators whose output does not depend on input values: Constant,
 * ConstantOfShape, and Shape (which reads only the input's shape).
 */
import { GraphError, ShapeError } from "../../errors.js";
import { formatShape } from "../../shape.js";
import { Tensor, tensor } from "../../tensor.js";
import type { Dim } from "../ir.js";
import { isStaticShape, UNKNOWN_DIM } from "../symbolic-dim.js";
import { attributeError, type AttributeReader } from "./attributes.js";
import { integersOf } from "./constant-operands.js";
import { defineOperator } from "./define-operator.js";
import { ALL_DTYPES, INT64_DTYPES, type OperatorDefinition } from "./operator.js";

/** Constant's value from whichever one of its value attributes is set (ONNX allows exactly one). */
function constantValue(attributes: AttributeReader): Tensor {
  const names = ["value", "value_float", "value_floats", "value_int", "value_ints"];
  const given = names.filter((n) => attributes.has(n));
  if (given.length === 0) throw attributeError("value", `is missing: Constant needs one of ${names.join(", ")}`);
  if (given.length > 1) throw attributeError(given[1], `conflicts with "${given[0]}": Constant takes exactly one value attribute`);
  switch (given[0]) {
    case "value":
      return attributes.tensor("value");
    case "value_float":
      return tensor(attributes.float("value_float"), { dtype: "float32" });
    case "value_floats":
      return tensor([...attributes.floats("value_floats")], { dtype: "float32" });
    case "value_int":
      return tensor(attributes.int("value_int"), { dtype: "int64" });
    default:
      return tensor([...attributes.ints("value_ints")], { dtype: "int64" });
  }
}

const CONSTANT = defineOperator({
  name: "Constant",
  inputs: [],
  typeConstraints: {},
  attributes: {
    value: { kind: "tensor" },
    value_float: { kind: "float" },
    value_floats: { kind: "floats" },
    value_int: { kind: "int" },
    value_ints: { kind: "ints" },
  },
  inferTypes(_inputs, attributes) {
    const value = constantValue(attributes);
    return [{ dtype: value.dtype, shape: value.shape }];
  },
  evaluate: (_inputs, attributes) => [constantValue(attributes)],
});

/** ConstantOfShape's fill value: a one-element tensor, float32 zero by default. */
function fillValue(attributes: AttributeReader): Tensor {
  const value = attributes.tensor("value", new Tensor("float32", [1]));
  if (value.size !== 1) throw attributeError("value", `must hold exactly one element, got shape ${formatShape(value.shape)}`);
  return value;
}

function checkExtents(shape: readonly number[]): void {
  if (shape.some((d) => d < 0)) throw new ShapeError(`input 0 ("input") must hold non-negative extents, got ${formatShape(shape)}`);
}

const CONSTANT_OF_SHAPE = defineOperator({
  name: "ConstantOfShape",
  inputs: [{ name: "input", type: "I" }],
  typeConstraints: { I: INT64_DTYPES },
  attributes: { value: { kind: "tensor" } },
  inferTypes([shape], attributes, constants) {
    const dtype = fillValue(attributes).dtype;
    const known = integersOf(constants[0], 'input 0 ("input")');
    if (known !== undefined) {
      checkExtents(known);
      return [{ dtype, shape: known }];
    }
    if (shape!.shape.length !== 1 || typeof shape!.shape[0] !== "number") {
      throw new GraphError(`input 0 ("input") must be 1-D of known length, got ${formatShape(shape!.shape)}`);
    }
    return [{ dtype, shape: new Array<Dim>(shape!.shape[0]).fill(UNKNOWN_DIM) }];
  },
  evaluate([shape], attributes) {
    const value = fillValue(attributes);
    const extents = integersOf(shape, 'input 0 ("input")')!;
    checkExtents(extents);
    const out = new Tensor(value.dtype, extents);
    // Filling with the stored element keeps int64 values exact.
    (out.data as unknown as { fill(v: unknown): void }).fill(value.data[0]);
    return [out];
  },
});

/** The `[start, end)` range of axes that Shape reports (opset 15 added `start` and `end`), clamped like Python slicing. */
function shapeRange(rank: number, attributes: AttributeReader): [number, number] {
  const clamp = (axis: number) => Math.min(Math.max(axis < 0 ? axis + rank : axis, 0), rank);
  const start = clamp(attributes.int("start"));
  const end = clamp(attributes.int("end", rank));
  return [start, Math.max(start, end)];
}

function shapeOf(shape: readonly number[], attributes: AttributeReader): Tensor {
  const [start, end] = shapeRange(shape.length, attributes);
  return tensor(shape.slice(start, end), { dtype: "int64" });
}

const SHAPE = defineOperator({
  name: "Shape",
  inputs: [{ name: "data", type: "T" }],
  typeConstraints: { T: ALL_DTYPES },
  attributes: { start: { kind: "int", default: 0 }, end: { kind: "int" } },
  inferTypes([x], attributes) {
    const [start, end] = shapeRange(x!.shape.length, attributes);
    return [{ dtype: "int64", shape: [end - start] }];
  },
  valuesFromTypes: ([x], attributes) => (isStaticShape(x!.shape) ? [shapeOf(x!.shape, attributes)] : undefined),
  evaluate: ([x], attributes) => [shapeOf(x!.shape, attributes)],
});

/** Constant, ConstantOfShape and Shape. */
export const CONSTANT_OPERATORS: readonly OperatorDefinition[] = [CONSTANT, CONSTANT_OF_SHAPE, SHAPE];
