/**
 * {@link Tensor} values and `onnx.TensorProto` messages, both ways.
 *
 * curv writes every tensor in `raw_data` (fixed-width little-endian, one byte
 * per bool, as onnx.proto requires): it is compact and fast to read. It reads
 * every in-file storage form: `raw_data` and the typed fields `float_data`,
 * `double_data`, `int32_data` (int32 and bool) and `int64_data`.
 */
import { allocate, type DataArray, type DType } from "../dtype.js";
import { OnnxError } from "../errors.js";
import { formatShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { dataTypeOfDType, dtypeOfDataType } from "./data-types.js";
import { int64Bits, int64FromWire, type WireInt64 } from "./int64.js";
import { DataLocation, type TensorMessage } from "./schema.js";

/** Bytes per element in `raw_data`. */
const RAW_ITEM_SIZE: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

/** A `TensorProto` holding `tensor` (under `name`, if given), its elements in `raw_data`. */
export function tensorToProto(tensor: Tensor, name?: string): TensorMessage {
  return {
    dims: tensor.shape.map((d) => int64Bits(BigInt(d))),
    data_type: dataTypeOfDType(tensor.dtype, `tensor "${name ?? ""}"`),
    ...(name === undefined ? {} : { name }),
    raw_data: rawBytesOf(tensor),
  };
}

function rawBytesOf(tensor: Tensor): Uint8Array {
  const n = tensor.size;
  const bytes = new Uint8Array(n * RAW_ITEM_SIZE[tensor.dtype]);
  // A DataView writes little-endian on every host, big-endian ones included.
  const view = new DataView(bytes.buffer);
  const data = tensor.data as DataArray;
  switch (tensor.dtype) {
    case "float32":
      for (let i = 0; i < n; i++) view.setFloat32(4 * i, data[i] as number, true);
      break;
    case "float64":
      for (let i = 0; i < n; i++) view.setFloat64(8 * i, data[i] as number, true);
      break;
    case "int32":
      for (let i = 0; i < n; i++) view.setInt32(4 * i, data[i] as number, true);
      break;
    case "int64":
      for (let i = 0; i < n; i++) view.setBigInt64(8 * i, data[i] as bigint, true);
      break;
    case "bool":
      for (let i = 0; i < n; i++) bytes[i] = data[i] ? 1 : 0;
      break;
  }
  return bytes;
}

/**
 * The {@link Tensor} a `TensorProto` holds. `what` says where the tensor sits
 * (e.g. `initializer "0.weight"`) for error messages. Data types curv has no
 * dtype for, external data, and storage that does not match the shape are
 * {@link OnnxError}s.
 */
export function tensorFromProto(message: TensorMessage, what: string): Tensor {
  if (message.data_location === DataLocation.EXTERNAL || (message.external_data?.length ?? 0) > 0) {
    throw new OnnxError(
      `${what} stores its data outside the model file (external data), which is not supported; ` +
        "save the model with its tensors inside the .onnx file",
    );
  }
  const dtype = dtypeOfDataType(message.data_type ?? 0, what);
  const shape = (message.dims ?? []).map((d, axis) => dimOf(d, axis, what));
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(size)) throw new OnnxError(`${what}: shape ${formatShape(shape)} has too many elements`);
  const raw = message.raw_data;
  const data = raw !== undefined && raw.length > 0 ? fromRawBytes(raw, dtype, size, shape, what) : fromTypedField(message, dtype, size, shape, what);
  return new Tensor(dtype, shape, data);
}

function dimOf(wire: WireInt64, axis: number, what: string): number {
  const d = int64FromWire(wire);
  if (d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER)) throw new OnnxError(`${what}: extent ${d} of axis ${axis} is not a valid size`);
  return Number(d);
}

function fromRawBytes(raw: Uint8Array, dtype: DType, size: number, shape: number[], what: string): DataArray {
  const itemSize = RAW_ITEM_SIZE[dtype];
  if (raw.length !== size * itemSize) {
    throw new OnnxError(
      `${what}: raw_data has ${raw.length} bytes, but ${dtype} shape ${formatShape(shape)} needs ${size * itemSize}`,
    );
  }
  // raw_data is a view into the model bytes at any offset, so it is read
  // through a DataView (little-endian on every host) rather than reinterpreted.
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = allocate(dtype, size);
  switch (dtype) {
    case "float32":
      for (let i = 0; i < size; i++) (out as Float32Array)[i] = view.getFloat32(4 * i, true);
      break;
    case "float64":
      for (let i = 0; i < size; i++) (out as Float64Array)[i] = view.getFloat64(8 * i, true);
      break;
    case "int32":
      for (let i = 0; i < size; i++) (out as Int32Array)[i] = view.getInt32(4 * i, true);
      break;
    case "int64":
      for (let i = 0; i < size; i++) (out as BigInt64Array)[i] = view.getBigInt64(8 * i, true);
      break;
    case "bool":
      for (let i = 0; i < size; i++) (out as Uint8Array)[i] = raw[i] ? 1 : 0;
      break;
  }
  return out;
}

/** Which typed field holds each dtype when `raw_data` is not used. */
const TYPED_FIELD: Readonly<Record<DType, "float_data" | "double_data" | "int32_data" | "int64_data">> = {
  float32: "float_data",
  float64: "double_data",
  int32: "int32_data",
  int64: "int64_data",
  bool: "int32_data",
};

function fromTypedField(message: TensorMessage, dtype: DType, size: number, shape: number[], what: string): DataArray {
  const field = TYPED_FIELD[dtype];
  const values = (message[field] ?? []) as readonly WireInt64[];
  if (values.length === 0 && size > 0) {
    throw new OnnxError(`${what}: has no data: neither raw_data nor ${field} holds the ${size} values of ${dtype} shape ${formatShape(shape)}`);
  }
  if (values.length !== size) {
    throw new OnnxError(`${what}: ${field} has ${values.length} values, but ${dtype} shape ${formatShape(shape)} needs ${size}`);
  }
  switch (dtype) {
    case "float32":
      return Float32Array.from(values as number[]);
    case "float64":
      return Float64Array.from(values as number[]);
    case "int32":
      return Int32Array.from(values as number[]);
    case "int64":
      return BigInt64Array.from(values, (v) => int64FromWire(v));
    case "bool":
      return Uint8Array.from(values as number[], (v) => (v ? 1 : 0));
  }
}
