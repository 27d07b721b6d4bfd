import { DTypeError } from "./errors.js";

/** The element types a {@link Tensor} can hold. */
export type DType = "float32" | "float64" | "int32" | "int64" | "bool";

/** Floating-point dtypes, the ones curvature is computed in. */
export type FloatDType = "float32" | "float64";

/** The typed array that stores each dtype (row-major). `bool` is stored as 0/1 bytes. */
export interface DataArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

/** Any storage array. */
export type DataArray = DataArrayMap[DType];

/** Storage arrays that hold plain numbers (every dtype but int64). */
export type NumberArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "int64", "bool"];

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
  bool: Uint8Array,
} as const;

/** Allocates a zero-filled storage array of `size` elements for `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): DataArrayMap[D] {
  const Ctor = constructors[dtype];
  if (Ctor === undefined) throw new DTypeError(`unknown dtype "${String(dtype)}"; expected one of ${DTYPES.join(", ")}`);
  return new Ctor(size) as DataArrayMap[D];
}

/** Whether `x` is one of curv's dtype names. */
export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === "float32" || dtype === "float64";
}

/** The dtype whose storage array is `data`. */
export function dtypeOfArray(data: DataArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Uint8Array) return "bool";
  throw new DTypeError(`unsupported storage array ${Object.prototype.toString.call(data)}`);
}

/** Bytes per element. */
export function itemSize(dtype: DType): number {
  return constructors[dtype].BYTES_PER_ELEMENT;
}

/** Throws a {@link DTypeError} unless `dtype` is one of `allowed`. */
export function assertDType(dtype: DType, allowed: readonly DType[], what: string): void {
  if (!allowed.includes(dtype)) {
    throw new DTypeError(`${what}: expected dtype ${allowed.join(" or ")}, got ${dtype}`);
  }
}
