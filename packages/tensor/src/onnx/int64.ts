/**
 * 64-bit integers between protobufjs and curv.
 *
 * protobufjs has no bigint support: it reads int64 fields as `Long` objects
 * (`{ low, high }` 32-bit halves) when the `long` package is present, as plain
 * numbers otherwise, and writes them from numbers or `{ low, high }` objects.
 * Given a bigint it would silently write 0, so every int64 that curv writes
 * goes through {@link int64Bits}, and every one it reads through
 * {@link int64FromWire}.
 */

/** The two 32-bit halves of a 64-bit integer, as protobufjs reads and writes them. */
export interface Int64Bits {
  readonly low: number;
  readonly high: number;
}

/** An int64 field value as protobufjs hands it over: a `Long` or a number. */
export type WireInt64 = number | Int64Bits;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The two's-complement halves of a signed 64-bit integer (`value` must lie in the int64 range). */
export function int64Bits(value: bigint): Int64Bits {
  const unsigned = BigInt.asUintN(64, value);
  return { low: Number(unsigned & 0xffffffffn) | 0, high: Number(unsigned >> 32n) | 0 };
}

/** A wire int64 as a bigint. */
export function int64FromWire(value: WireInt64): bigint {
  if (typeof value === "number") return BigInt(Math.trunc(value));
  return BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
}

/**
 * A JavaScript number as an int64, for integer attributes. Numbers at or beyond
 * ±2^63 are clamped to the int64 range: exporters use INT64_MAX and INT64_MIN
 * as "to the end" sentinels (Slice, for example), these read back as the
 * double ±2^63, and clamping writes the sentinel back exactly.
 */
export function int64FromNumber(value: number): bigint {
  const big = BigInt(Math.trunc(value));
  return big > INT64_MAX ? INT64_MAX : big < INT64_MIN ? INT64_MIN : big;
}
