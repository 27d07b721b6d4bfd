/**
 * curv dtypes and ONNX `TensorProto.DataType` codes, both ways.
 */
import type { DType } from "../dtype.js";
import { OnnxError } from "../errors.js";
import { dataTypeName, TensorDataType } from "./schema.js";

const DATA_TYPE_OF_DTYPE: Readonly<Record<DType, number>> = {
  float32: TensorDataType.FLOAT,
  float64: TensorDataType.DOUBLE,
  int32: TensorDataType.INT32,
  int64: TensorDataType.INT64,
  bool: TensorDataType.BOOL,
};

const DTYPE_OF_DATA_TYPE: ReadonlyMap<number, DType> = new Map(
  Object.entries(DATA_TYPE_OF_DTYPE).map(([dtype, code]) => [code, dtype as DType]),
);

/** The ONNX data-type code of a curv dtype. */
export function dataTypeOfDType(dtype: DType, what: string): number {
  const code = DATA_TYPE_OF_DTYPE[dtype];
  if (code === undefined) {
    throw new OnnxError(`${what}: dtype "${String(dtype)}" has no ONNX data type; expected one of ${Object.keys(DATA_TYPE_OF_DTYPE).join(", ")}`);
  }
  return code;
}

/**
 * The curv dtype of an ONNX data-type code. Codes curv has no dtype for
 * (FLOAT16, UINT8, STRING, ...) are an {@link OnnxError} that names `what`
 * (the tensor or value) and the data type.
 */
export function dtypeOfDataType(code: number, what: string): DType {
  const dtype = DTYPE_OF_DATA_TYPE.get(code);
  if (dtype === undefined) {
    const supported = [...DTYPE_OF_DATA_TYPE.keys()].map(dataTypeName).join(", ");
    throw new OnnxError(`${what} has data type ${dataTypeName(code)}, which curv does not support; supported: ${supported}`);
  }
  return dtype;
}
