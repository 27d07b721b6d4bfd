/**
 * NumPy dtype strings (`descr`: byte order, kind, item size, e.g. `<f4`) and
 * how their elements decode into curv's dtypes.
 */
import type { DataArrayMap, DType } from "@curv/tensor";
import { NpyFormatError } from "./npy-error.js";

/** How one `.npy` element type is stored and what it becomes. */
export interface NpyElementType {
  /** The `descr` as written in the file. */
  readonly descr: string;
  /** The curv dtype the elements load as. */
  readonly dtype: DType;
  /** Bytes per stored element. */
  readonly itemSize: number;
  readonly littleEndian: boolean;
  /** Reads element `index` of the body at `view`. */
  readonly read: (view: DataView, index: number, littleEndian: boolean) => number | bigint;
}

type Reader = NpyElementType["read"];

/**
 * Stored kinds and sizes curv reads, and the dtype each loads as. The small
 * integer types (`u1`, `i1`, `i2`, `u2`) widen losslessly to int32 and `u4`
 * to int64, since curv has no narrower integer dtypes; `u8` is refused
 * because its values may not fit in int64.
 */
const KINDS: Record<string, { dtype: DType; read: Reader }> = {
  f4: { dtype: "float32", read: (v, i, le) => v.getFloat32(i * 4, le) },
  f8: { dtype: "float64", read: (v, i, le) => v.getFloat64(i * 8, le) },
  i4: { dtype: "int32", read: (v, i, le) => v.getInt32(i * 4, le) },
  i8: { dtype: "int64", read: (v, i, le) => v.getBigInt64(i * 8, le) },
  b1: { dtype: "bool", read: (v, i) => (v.getUint8(i) === 0 ? 0 : 1) },
  u1: { dtype: "int32", read: (v, i) => v.getUint8(i) },
  i1: { dtype: "int32", read: (v, i) => v.getInt8(i) },
  i2: { dtype: "int32", read: (v, i, le) => v.getInt16(i * 2, le) },
  u2: { dtype: "int32", read: (v, i, le) => v.getUint16(i * 2, le) },
  u4: { dtype: "int64", read: (v, i, le) => BigInt(v.getUint32(i * 4, le)) },
};

/** The `descr` each curv dtype is saved as (always little-endian, as NumPy writes on x86 and ARM). */
export const DESCR_OF_DTYPE: Readonly<Record<DType, string>> = {
  float32: "<f4",
  float64: "<f8",
  int32: "<i4",
  int64: "<i8",
  bool: "|b1",
};

/**
 * The element type of a `descr`. Byte order `<` is little-endian, `>`
 * big-endian (converted on load), `|` not applicable (one-byte types) and
 * `=` native, which for a file written by NumPy on any current platform means
 * little-endian.
 *
 * @throws {NpyFormatError} for structured dtypes (a list), and for kinds curv
 * cannot hold (complex, strings, objects, datetimes, half floats, `u8`),
 * naming the dtype and listing the supported ones.
 */
export function npyElementType(descr: unknown): NpyElementType {
  if (typeof descr !== "string") {
    throw new NpyFormatError(`.npy dtype ${JSON.stringify(descr)} is a structured dtype (record fields), which is not supported; save plain arrays`);
  }
  const match = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const kind = match === null ? undefined : KINDS[`${match[2]}${match[3]}`];
  if (match === null || kind === undefined) {
    throw new NpyFormatError(
      `.npy dtype "${descr}" is not supported; supported: <f4, <f8, <i4, <i8, |b1 (and big-endian >f4, >f8, >i4, >i8), plus |u1, |i1, <i2, <u2 (loaded as int32) and <u4 (loaded as int64)`,
    );
  }
  const itemSize = Number(match[3]);
  return { descr, dtype: kind.dtype, itemSize, littleEndian: match[1] !== ">", read: kind.read };
}

/** Whether typed arrays on this machine are little-endian (every platform Node and browsers run on today). */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether `element` can be loaded by copying its bytes into a typed array (same layout as the host's). */
export function isDirectCopy(element: NpyElementType): boolean {
  return element.littleEndian === HOST_IS_LITTLE_ENDIAN && DESCR_OF_DTYPE[element.dtype].slice(1) === element.descr.slice(1);
}

/** The typed array of `dtype` over freshly copied `bytes` (whose length is a multiple of its element size). */
export function typedArrayOfBytes<D extends DType>(dtype: D, bytes: Uint8Array): DataArrayMap[D] {
  // A copy into a buffer of its own (a Node Buffer's slice() would be a view into a shared pool).
  const buffer = Uint8Array.prototype.slice.call(bytes).buffer;
  switch (dtype) {
    case "float32": return new Float32Array(buffer) as DataArrayMap[D];
    case "float64": return new Float64Array(buffer) as DataArrayMap[D];
    case "int32": return new Int32Array(buffer) as DataArrayMap[D];
    case "int64": return new BigInt64Array(buffer) as DataArrayMap[D];
    default: return new Uint8Array(buffer) as DataArrayMap[D];
  }
}
