/**
 * Constants, pass-throughs and conversions: Constant, Identity, Dropout
 * (inference), Cast, OneHot. Constants stay known tensors, so they can feed shape
 * arithmetic; they become literals where traced values need them.
 */
import { isFloat, type DType, type Tensor } from "@curv/tensor";
import { add, cast, mul, oneHot } from "../primitives/index.js";
import { valueInput } from "./elementwise-operators.js";
import type { NodeContext } from "./node-context.js";
import { isKnown, knownNumbers, knownOf, type KnownTensor } from "./operand.js";
import type { OperatorMapping } from "./operator-mapping.js";

/** ONNX TensorProto data types curv has. */
const DTYPE_OF_ONNX_TYPE: Readonly<Record<number, DType>> = { 1: "float32", 6: "int32", 7: "int64", 9: "bool", 11: "float64" };

const constant: OperatorMapping = (_, node: NodeContext) => {
  const value: Tensor | undefined = node.tensor("value");
  if (value !== undefined) return [knownOf(value)];
  const scalar = (dtype: DType, v: number): KnownTensor => ({ dtype, shape: [], values: [v] });
  const vector = (dtype: DType, vs: readonly number[]): KnownTensor => ({ dtype, shape: [vs.length], values: [...vs] });
  const attribute = node.node.attributes;
  if (typeof attribute.value_float === "number") return [scalar("float32", attribute.value_float)];
  if (typeof attribute.value_int === "number") return [scalar("int64", attribute.value_int)];
  if (Array.isArray(attribute.value_floats)) return [vector("float32", attribute.value_floats as number[])];
  if (Array.isArray(attribute.value_ints)) return [vector("int64", attribute.value_ints as number[])];
  return node.unsupported(`a Constant without a value, value_float(s) or value_int(s) attribute (it has ${Object.keys(attribute).join(", ") || "none"})`);
};

/** The dtype a Cast produces: float targets become the model's float dtype, so a model imported as float64 stays float64. */
function castTarget(node: NodeContext): DType {
  const to = node.int("to", 1);
  const dtype = DTYPE_OF_ONNX_TYPE[to];
  if (dtype === undefined) node.unsupported(`Cast to ONNX data type ${to}`);
  return isFloat(dtype) ? node.floatDType : dtype;
}

const castOperator: OperatorMapping = (inputs, node: NodeContext) => {
  const dtype = castTarget(node);
  const x = inputs[0];
  if (x !== undefined && isKnown(x)) {
    const integer = !isFloat(dtype);
    const values = x.values.map((v) => (typeof v === "number" ? (dtype === "bool" ? Number(v !== 0) : integer ? Math.trunc(v) : v) : v));
    return [{ dtype, shape: x.shape, values }];
  }
  return [cast(valueInput(inputs, 0, node), dtype)];
};

/** Dropout in inference: the identity. A node that asks for training mode, or whose mask is used, is refused. */
const dropout: OperatorMapping = (inputs, node: NodeContext) => {
  if (inputs[2] !== undefined && knownNumbers(inputs[2], `${node.description}: training_mode`)[0] !== 0) {
    node.unsupported("Dropout in training mode");
  }
  if ((node.node.outputs[1] ?? "") !== "") node.unsupported("Dropout's mask output");
  const x = inputs[0];
  if (x === undefined) node.fail("input 0 is missing");
  return [x];
};

/**
 * OneHot of traced integer ids along the last axis (how toOnnx writes an
 * embedding lookup): `off + (on - off) * oneHot(ids)`. Ids are data.
 */
const oneHotOperator: OperatorMapping = (inputs, node: NodeContext) => {
  const ids = valueInput(inputs, 0, node);
  if (ids.dtype !== "int64" && ids.dtype !== "int32") node.fail(`indices must be int64 or int32, got ${ids.dtype}`);
  const [depth] = knownNumbers(inputs[1], `${node.description}: depth`);
  const valuesInput = inputs[2];
  if (valuesInput === undefined || !isKnown(valuesInput)) return node.unsupported("OneHot with values computed from the data");
  const [off, on] = knownNumbers(valuesInput, `${node.description}: values`);
  const axis = node.int("axis", -1);
  if (axis !== -1 && axis !== ids.rank) node.unsupported(`OneHot along axis ${axis} (other than the last)`);
  const dtype = isFloat(valuesInput.dtype) ? node.floatDType : valuesInput.dtype;
  if (!isFloat(dtype)) node.unsupported(`OneHot with ${dtype} values`);
  const encoded = oneHot(ids, depth, dtype);
  return [off === 0 && on === 1 ? encoded : add(mul(encoded, on - off), off)];
};

export const VALUE_OPERATORS: Readonly<Record<string, OperatorMapping>> = {
  Constant: constant,
  Identity: (inputs, node: NodeContext) => {
    const x = inputs[0];
    if (x === undefined) node.fail("input 0 is missing");
    return [x];
  },
  Dropout: dropout,
  Cast: castOperator,
  OneHot: oneHotOperator,
};
