/**
 * fast-check arbitraries of hostile files: a valid file's bytes, truncated,
 * with bytes flipped or overwritten, a random range repeated, random bytes
 * altogether, and format-aware attacks (zip sizes declared huge, entries
 * listed many times, npy headers nested or with huge shapes).
 */
import fc from "fast-check";

/** One way to break `bytes`, as a function of the bytes (so it composes with any file). */
export type Mutation = (bytes: Uint8Array) => Uint8Array;

const truncate = fc.double({ min: 0, max: 1, noNaN: true }).map((f): Mutation => (b) => b.slice(0, Math.floor(b.length * f)));
const flip = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 })
  .map((flips): Mutation => (b) => {
    const out = b.slice();
    for (const [at, mask] of flips) if (out.length > 0) out[Math.floor(at * out.length)] ^= mask;
    return out;
  });
const overwrite = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.uint8Array({ minLength: 1, maxLength: 64 }))
  .map(([at, junk]): Mutation => (b) => {
    const out = b.slice();
    out.set(junk.subarray(0, Math.max(0, out.length - Math.floor(at * out.length))), Math.floor(at * out.length));
    return out;
  });
const repeat = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 2, max: 200 }))
  .map(([at, length, times]): Mutation => (b) => {
    const start = Math.floor(at * b.length);
    const chunk = b.slice(start, start + length);
    const out = new Uint8Array(b.length + chunk.length * (times - 1));
    out.set(b.subarray(0, start));
    for (let k = 0; k < times; k++) out.set(chunk, start + k * chunk.length);
    out.set(b.subarray(start + chunk.length), start + chunk.length * times);
    return out;
  });
const random = fc.uint8Array({ maxLength: 4096 }).map((junk): Mutation => () => junk);
/** Every 32-bit little-endian field at a random 4-byte position set to a huge value (a declared size or count). */
const hugeField = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(0xffffffff, 0x7fffffff, 0x40000000))
  .map(([at, value]): Mutation => (b) => {
    const out = b.slice();
    const offset = Math.floor(at * Math.max(0, out.length - 4));
    if (out.length >= 4) new DataView(out.buffer).setUint32(offset, value, true);
    return out;
  });

/** Generic mutations of any file. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(truncate, flip, overwrite, repeat, random, hugeField);

/** A few mutations in a row. */
export const mutations: fc.Arbitrary<Mutation> = fc.array(mutation, { minLength: 1, maxLength: 3 }).map((list): Mutation => (b) => list.reduce((acc, m) => m(acc), b));

/** A `.npy` file whose header is hostile: nested, huge shapes, wrong lengths, odd dtypes. */
export const hostileNpy: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map((depth) => `{'descr': ${"(".repeat(depth)}'<f8'${")".repeat(depth)}, 'fortran_order': False, 'shape': (3,), }`),
  fc.array(fc.constantFrom(0, 1, 2 ** 31, 2 ** 40, 2 ** 53 - 1, 10 ** 7), { minLength: 1, maxLength: 6 })
    .map((shape) => `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(", ")},), }`),
  fc.constantFrom("<c16", "|O", "<U10", "|V8", "[('a', '<f4')]", ">f8", "<f2").map((descr) => `{'descr': '${descr}', 'fortran_order': False, 'shape': (88,), }`),
  fc.string({ maxLength: 200 }),
).map((header) => {
  const text = new TextEncoder().encode(header + "\n");
  const bytes = new Uint8Array(12 + text.length + 64);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
  new DataView(bytes.buffer).setUint32(8, text.length, true);
  bytes.set(text, 12);
  return bytes;
});
