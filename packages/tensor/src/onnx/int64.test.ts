import { describe, expect, it } from "vitest";
import { int64Bits, int64FromNumber, int64FromWire } from "./int64.js";

// The reference for the 32-bit halves: the bytes a BigInt64Array stores,
// read back as two little-endian int32s.
function halvesOf(value: bigint): { low: number; high: number } {
  const view = new DataView(new BigInt64Array([value]).buffer);
  return { low: view.getInt32(0, true), high: view.getInt32(4, true) };
}

const values = [0n, 1n, -1n, 17n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)];

describe("int64Bits / int64FromWire", () => {
  it.each(values)("splits %s into the halves a BigInt64Array stores, and joins them back", (value) => {
    const bits = int64Bits(value);
    expect(bits).toEqual(halvesOf(value));
    expect(int64FromWire(bits)).toBe(value);
  });

  it("reads halves given as unsigned 32-bit numbers, as Long objects may hold them", () => {
    expect(int64FromWire({ low: 0xffffffff, high: 0xffffffff })).toBe(-1n);
    expect(int64FromWire({ low: 0x80000000, high: 0 })).toBe(2n ** 31n);
  });

  it("reads plain numbers, as protobufjs gives them without the long package", () => {
    expect(int64FromWire(42)).toBe(42n);
    expect(int64FromWire(-7)).toBe(-7n);
  });
});

describe("int64FromNumber", () => {
  it("keeps integers in range and clamps the ±2^63 sentinels that read back as doubles", () => {
    expect(int64FromNumber(5)).toBe(5n);
    expect(int64FromNumber(-5)).toBe(-5n);
    expect(int64FromNumber(Number(2n ** 63n - 1n))).toBe(2n ** 63n - 1n);
    expect(int64FromNumber(Number(-(2n ** 63n)))).toBe(-(2n ** 63n));
    expect(int64FromNumber(1e30)).toBe(2n ** 63n - 1n);
  });
});
