/**
 * Type rules shared by families of primitives.
 */
import { broadcastDims, DTypeError, type DType, type ValueType } from "@curv/tensor";

/** The dtypes that have derivatives. */
export const FLOAT: readonly DType[] = ["float32", "float64"];
/** The dtypes arithmetic accepts. */
export const NUMERIC: readonly DType[] = ["float32", "float64", "int32", "int64"];

/** Throws unless `dtype` is one of `allowed`. */
export function checkDType(dtype: DType, allowed: readonly DType[], what: string): void {
  if (!allowed.includes(dtype)) throw new DTypeError(`${what}: expected ${allowed.join(" or ")}, got ${dtype}`);
}

/** Throws unless all operands share one dtype; returns it. */
export function commonDType(inputs: readonly ValueType[]): DType {
  const dtype = inputs[0].dtype;
  inputs.forEach((x, i) => {
    if (x.dtype !== dtype) throw new DTypeError(`operand ${i} is ${x.dtype}, operand 0 is ${dtype}; operands must share one dtype`);
  });
  return dtype;
}

/** Elementwise on one operand: same dtype and shape. */
export function unaryType(allowed: readonly DType[]) {
  return ([x]: readonly ValueType[]): ValueType => {
    checkDType(x.dtype, allowed, "operand");
    return { dtype: x.dtype, shape: x.shape };
  };
}

/** Elementwise on several operands, broadcast NumPy style; the result has `result` dtype or the operands'. */
export function broadcastingType(allowed: readonly DType[], result?: DType) {
  return (inputs: readonly ValueType[]): ValueType => {
    const dtype = commonDType(inputs);
    checkDType(dtype, allowed, "operands");
    return { dtype: result ?? dtype, shape: broadcastDims(inputs.map((i) => i.shape)) };
  };
}
