/**
 * The part of `onnx.proto` that curv reads and writes, as a protobufjs
 * reflection root built in code.
 *
 * Why a JSON descriptor and not the `.proto` file: reading a file at run time
 * does not work in browsers, and a code-generation step would put generated
 * code in the repository. The descriptor below is small enough to check by
 * eye against `onnx.proto`; field numbers and wire types are exactly its.
 *
 * Fields curv does not need are left out; protobufjs skips unknown fields when
 * decoding, so models that use them still decode. The few unsupported fields
 * that must not be skipped silently (sparse initializers) are declared so the
 * decoder can notice them and say so.
 */
import protobuf from "protobufjs/light.js";
import type { WireInt64 } from "./int64.js";

/** `TensorProto.DataType`: the element types of ONNX tensors. */
export const TensorDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
  FLOAT4E2M1: 23,
  FLOAT8E8M0: 24,
  UINT2: 25,
  INT2: 26,
} as const;

/** `AttributeProto.AttributeType`: which value field of an attribute is in use. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

/** `TensorProto.DataLocation`: where a tensor's bytes live. */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** The name of a data-type code, e.g. `"FLOAT16"`, or `"data type 99"` for codes ONNX does not define. */
export function dataTypeName(code: number): string {
  const entry = Object.entries(TensorDataType).find(([, value]) => value === code);
  return entry ? entry[0] : `data type ${code}`;
}

/** The name of an attribute-type code, e.g. `"GRAPH"`. */
export function attributeTypeName(code: number): string {
  const entry = Object.entries(AttributeType).find(([, value]) => value === code);
  return entry ? entry[0] : `attribute type ${code}`;
}

// onnx.proto is proto2, and protobufjs takes a JSON descriptor to be proto3
// unless told otherwise. The difference matters when writing: proto3 leaves
// out fields that hold their default value, so a `dim_value` of 0 would vanish
// and the extent would read back as unknown. Every message says `proto2`.
const proto2 = { edition: "proto2" };

// Repeated scalars are unpacked in proto2 unless marked `[packed = true]`.
// protobufjs reads both forms; these options make it write what onnx.proto says.
const packed = { packed: true };
const unpacked = { packed: false };

const descriptor = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          ...proto2,
          fields: {
            name: { id: 1, type: "string" },
            ref_attr_name: { id: 21, type: "string" },
            type: { id: 20, type: "AttributeType" },
            f: { id: 2, type: "float" },
            i: { id: 3, type: "int64" },
            s: { id: 4, type: "bytes" },
            t: { id: 5, type: "TensorProto" },
            floats: { id: 7, rule: "repeated", type: "float", options: unpacked },
            ints: { id: 8, rule: "repeated", type: "int64", options: unpacked },
            strings: { id: 9, rule: "repeated", type: "bytes" },
          },
          nested: { AttributeType: { values: AttributeType } },
        },
        ValueInfoProto: {
          ...proto2,
          fields: {
            name: { id: 1, type: "string" },
            type: { id: 2, type: "TypeProto" },
            doc_string: { id: 3, type: "string" },
          },
        },
        NodeProto: {
          ...proto2,
          fields: {
            input: { id: 1, rule: "repeated", type: "string" },
            output: { id: 2, rule: "repeated", type: "string" },
            name: { id: 3, type: "string" },
            op_type: { id: 4, type: "string" },
            domain: { id: 7, type: "string" },
            attribute: { id: 5, rule: "repeated", type: "AttributeProto" },
            doc_string: { id: 6, type: "string" },
          },
        },
        ModelProto: {
          ...proto2,
          fields: {
            ir_version: { id: 1, type: "int64" },
            opset_import: { id: 8, rule: "repeated", type: "OperatorSetIdProto" },
            producer_name: { id: 2, type: "string" },
            producer_version: { id: 3, type: "string" },
            domain: { id: 4, type: "string" },
            model_version: { id: 5, type: "int64" },
            doc_string: { id: 6, type: "string" },
            graph: { id: 7, type: "GraphProto" },
            metadata_props: { id: 14, rule: "repeated", type: "StringStringEntryProto" },
          },
        },
        StringStringEntryProto: {
          ...proto2,
          fields: {
            key: { id: 1, type: "string" },
            value: { id: 2, type: "string" },
          },
        },
        GraphProto: {
          ...proto2,
          fields: {
            node: { id: 1, rule: "repeated", type: "NodeProto" },
            name: { id: 2, type: "string" },
            initializer: { id: 5, rule: "repeated", type: "TensorProto" },
            // A SparseTensorProto in onnx.proto. Declared as bytes (same wire
            // type) only so the decoder can see it is there and refuse it.
            sparse_initializer: { id: 15, rule: "repeated", type: "bytes" },
            doc_string: { id: 10, type: "string" },
            input: { id: 11, rule: "repeated", type: "ValueInfoProto" },
            output: { id: 12, rule: "repeated", type: "ValueInfoProto" },
            value_info: { id: 13, rule: "repeated", type: "ValueInfoProto" },
          },
        },
        TensorProto: {
          ...proto2,
          fields: {
            dims: { id: 1, rule: "repeated", type: "int64", options: unpacked },
            data_type: { id: 2, type: "int32" },
            float_data: { id: 4, rule: "repeated", type: "float", options: packed },
            int32_data: { id: 5, rule: "repeated", type: "int32", options: packed },
            int64_data: { id: 7, rule: "repeated", type: "int64", options: packed },
            name: { id: 8, type: "string" },
            doc_string: { id: 12, type: "string" },
            raw_data: { id: 9, type: "bytes" },
            external_data: { id: 13, rule: "repeated", type: "StringStringEntryProto" },
            data_location: { id: 14, type: "DataLocation" },
            double_data: { id: 10, rule: "repeated", type: "double", options: packed },
          },
          nested: { DataLocation: { values: DataLocation } },
        },
        TensorShapeProto: {
          ...proto2,
          fields: {
            dim: { id: 1, rule: "repeated", type: "Dimension" },
          },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ["dim_value", "dim_param"] } },
              fields: {
                dim_value: { id: 1, type: "int64" },
                dim_param: { id: 2, type: "string" },
                denotation: { id: 3, type: "string" },
              },
            },
          },
        },
        TypeProto: {
          ...proto2,
          fields: {
            tensor_type: { id: 1, type: "Tensor" },
            denotation: { id: 6, type: "string" },
          },
          nested: {
            Tensor: {
              fields: {
                elem_type: { id: 1, type: "int32" },
                shape: { id: 2, type: "TensorShapeProto" },
              },
            },
          },
        },
        OperatorSetIdProto: {
          ...proto2,
          fields: {
            domain: { id: 1, type: "string" },
            version: { id: 2, type: "int64" },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

/** The protobufjs type of `onnx.ModelProto`, the top-level message of an `.onnx` file. */
export const ModelProtoType: protobuf.Type = root.lookupType("onnx.ModelProto");

// Plain-object shapes of the messages, as curv builds them for encoding and
// reads them after decoding. int64 fields are numbers or `{ low, high }`
// halves, never bigints (see int64.ts).

/** `onnx.OperatorSetIdProto`. */
export interface OperatorSetIdMessage {
  domain?: string;
  version?: WireInt64;
}

/** `onnx.StringStringEntryProto`. */
export interface StringStringEntryMessage {
  key?: string;
  value?: string;
}

/** `onnx.TensorProto`. */
export interface TensorMessage {
  dims?: WireInt64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: WireInt64[];
  double_data?: number[];
  name?: string;
  raw_data?: Uint8Array;
  external_data?: StringStringEntryMessage[];
  data_location?: number;
}

/** `onnx.TensorShapeProto.Dimension`. */
export interface DimensionMessage {
  dim_value?: WireInt64;
  dim_param?: string;
}

/** `onnx.ValueInfoProto` with `TypeProto.Tensor` inlined. */
export interface ValueInfoMessage {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: DimensionMessage[] } } };
}

/** `onnx.AttributeProto`. */
export interface AttributeMessage {
  name?: string;
  ref_attr_name?: string;
  type?: number;
  f?: number;
  i?: WireInt64;
  s?: Uint8Array;
  t?: TensorMessage;
  floats?: number[];
  ints?: WireInt64[];
  strings?: Uint8Array[];
}

/** `onnx.NodeProto`. */
export interface NodeMessage {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeMessage[];
}

/** `onnx.GraphProto`. */
export interface GraphMessage {
  node?: NodeMessage[];
  name?: string;
  initializer?: TensorMessage[];
  sparse_initializer?: Uint8Array[];
  input?: ValueInfoMessage[];
  output?: ValueInfoMessage[];
  value_info?: ValueInfoMessage[];
}

/** `onnx.ModelProto`. */
export interface ModelMessage {
  ir_version?: WireInt64;
  opset_import?: OperatorSetIdMessage[];
  producer_name?: string;
  producer_version?: string;
  graph?: GraphMessage;
}
