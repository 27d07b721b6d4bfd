/**
 * ONNX messages written field by field with the hand-written wire writer, for
 * tests. Field numbers are typed in from onnx.proto, independently of
 * schema.ts. Fields are written in field-number order, as protobufjs writes
 * them, so an encoding can be compared byte for byte.
 */
import { bytes, concat, float32, message, packedFloat32, packedFloat64, packedVarint, string, varint } from "./wire.js";

/** `ModelProto`: ir_version 1, producer_name 2, graph 7, opset_import 8. */
export function modelBytes(model: {
  irVersion?: number;
  producerName?: string;
  graph?: Uint8Array;
  opsets?: readonly (readonly [string, number])[];
}): Uint8Array {
  return concat(
    model.irVersion === undefined ? new Uint8Array() : varint(1, model.irVersion),
    model.producerName === undefined ? new Uint8Array() : string(2, model.producerName),
    model.graph === undefined ? new Uint8Array() : bytes(7, model.graph),
    ...(model.opsets ?? []).map(([domain, version]) => message(8, string(1, domain), varint(2, version))),
  );
}

/** `GraphProto`: node 1, name 2, initializer 5, input 11, output 12, sparse_initializer 15. */
export function graphBytes(graph: {
  nodes?: readonly Uint8Array[];
  name?: string;
  initializers?: readonly Uint8Array[];
  inputs?: readonly Uint8Array[];
  outputs?: readonly Uint8Array[];
  sparseInitializers?: readonly Uint8Array[];
}): Uint8Array {
  return concat(
    ...(graph.nodes ?? []).map((n) => bytes(1, n)),
    graph.name === undefined ? new Uint8Array() : string(2, graph.name),
    ...(graph.initializers ?? []).map((t) => bytes(5, t)),
    ...(graph.inputs ?? []).map((v) => bytes(11, v)),
    ...(graph.outputs ?? []).map((v) => bytes(12, v)),
    ...(graph.sparseInitializers ?? []).map((s) => bytes(15, s)),
  );
}

/** `NodeProto`: input 1, output 2, name 3, op_type 4, attribute 5, domain 7. */
export function nodeBytes(node: {
  inputs?: readonly string[];
  outputs?: readonly string[];
  name?: string;
  op: string;
  attributes?: readonly Uint8Array[];
  domain?: string;
}): Uint8Array {
  return concat(
    ...(node.inputs ?? []).map((s) => string(1, s)),
    ...(node.outputs ?? []).map((s) => string(2, s)),
    node.name === undefined ? new Uint8Array() : string(3, node.name),
    string(4, node.op),
    ...(node.attributes ?? []).map((a) => bytes(5, a)),
    node.domain === undefined ? new Uint8Array() : string(7, node.domain),
  );
}

/**
 * `ValueInfoProto` (name 1, type 2) of a tensor: `TypeProto.tensor_type` 1
 * holds elem_type 1 and shape 2; the shape's `dim` 1 holds dim_value 1 or
 * dim_param 2 (`null`: neither). `dims: null` leaves the shape out.
 */
export function valueInfoBytes(name: string, elemType: number, dims: readonly (number | string | null)[] | null): Uint8Array {
  const dimFields = (dims ?? []).map((d) =>
    message(1, d === null ? new Uint8Array() : typeof d === "number" ? varint(1, d) : string(2, d)),
  );
  const tensorType = concat(varint(1, elemType), dims === null ? new Uint8Array() : message(2, ...dimFields));
  return concat(string(1, name), message(2, message(1, tensorType)));
}

/**
 * `TensorProto`: dims 1 (unpacked), data_type 2, float_data 4, int32_data 5,
 * int64_data 7, name 8, raw_data 9, double_data 10, external_data 13,
 * data_location 14.
 */
export function tensorBytes(tensor: {
  dims: readonly number[];
  dataType: number;
  floatData?: readonly number[];
  int32Data?: readonly number[];
  int64Data?: readonly bigint[];
  name?: string;
  rawData?: Uint8Array;
  doubleData?: readonly number[];
  externalData?: readonly (readonly [string, string])[];
  dataLocation?: number;
}): Uint8Array {
  return concat(
    ...tensor.dims.map((d) => varint(1, d)),
    varint(2, tensor.dataType),
    tensor.floatData === undefined ? new Uint8Array() : packedFloat32(4, tensor.floatData),
    tensor.int32Data === undefined ? new Uint8Array() : packedVarint(5, tensor.int32Data),
    tensor.int64Data === undefined ? new Uint8Array() : packedVarint(7, tensor.int64Data),
    tensor.name === undefined ? new Uint8Array() : string(8, tensor.name),
    tensor.rawData === undefined ? new Uint8Array() : bytes(9, tensor.rawData),
    tensor.doubleData === undefined ? new Uint8Array() : packedFloat64(10, tensor.doubleData),
    ...(tensor.externalData ?? []).map(([key, value]) => message(13, string(1, key), string(2, value))),
    tensor.dataLocation === undefined ? new Uint8Array() : varint(14, tensor.dataLocation),
  );
}

/**
 * `AttributeProto`: name 1, f 2, i 3, s 4, t 5, g 6, floats 7, ints 8
 * (unpacked), strings 9, type 20, ref_attr_name 21. The type codes are
 * onnx.proto's: FLOAT 1, INT 2, STRING 3, TENSOR 4, GRAPH 5, FLOATS 6, INTS 7,
 * STRINGS 8.
 */
export const attributeBytes = {
  float: (name: string, f: number) => concat(string(1, name), float32(2, f), varint(20, 1)),
  int: (name: string, i: bigint | number) => concat(string(1, name), varint(3, i), varint(20, 2)),
  string: (name: string, s: Uint8Array) => concat(string(1, name), bytes(4, s), varint(20, 3)),
  tensor: (name: string, t: Uint8Array) => concat(string(1, name), bytes(5, t), varint(20, 4)),
  graph: (name: string, g: Uint8Array) => concat(string(1, name), bytes(6, g), varint(20, 5)),
  floats: (name: string, fs: readonly number[]) => concat(string(1, name), ...fs.map((f) => float32(7, f)), varint(20, 6)),
  ints: (name: string, is: readonly (bigint | number)[]) => concat(string(1, name), ...is.map((i) => varint(8, i)), varint(20, 7)),
  strings: (name: string, ss: readonly string[]) => concat(string(1, name), ...ss.map((s) => string(9, s)), varint(20, 8)),
  reference: (name: string, ref: string, type: number) => concat(string(1, name), varint(20, type), string(21, ref)),
};
