/**
 * 64-bit FNV-1a (Fowler-Noll-Vo), kept in two 32-bit lanes so it runs on
 * plain numbers in every JavaScript engine (no BigInt arithmetic, no
 * node:crypto). Not cryptographic: a fast, well-spread key for caches.
 */

// FNV-1a 64 parameters: offset basis 0xcbf29ce484222325, prime 2^40 + 0x1b3.
const OFFSET_HIGH = 0xcbf29ce4;
const OFFSET_LOW = 0x84222325;
const PRIME_LOW = 0x1b3;
const TWO_TO_32 = 4294967296;

/**
 * An incremental FNV-1a 64 hash over bytes, with helpers that feed numbers,
 * strings and typed arrays as bytes.
 *
 * @example
 * ```ts
 * new Fnv1a64().bytes(new TextEncoder().encode("a")).digest(); // "af63dc4c8601ec8c"
 * ```
 */
export class Fnv1a64 {
  private high = OFFSET_HIGH;
  private low = OFFSET_LOW;
  private readonly scratchBytes = new Uint8Array(8);
  private readonly scratch = new DataView(this.scratchBytes.buffer);

  /** Feeds raw bytes: for each, xor it into the low byte, then multiply by the prime modulo 2^64. */
  bytes(data: Uint8Array): this {
    let high = this.high;
    let low = this.low;
    for (let i = 0; i < data.length; i++) {
      low ^= data[i];
      // (high * 2^32 + low) * (2^40 + 0x1b3) mod 2^64, in 32-bit halves: low * 0x1b3 < 2^41 is exact in a double,
      // and low * 2^40 adds (low << 8) to the high half.
      const product = (low >>> 0) * PRIME_LOW;
      high = (high * PRIME_LOW + Math.floor(product / TWO_TO_32) + (low << 8)) >>> 0;
      low = product >>> 0;
    }
    this.high = high;
    this.low = low;
    return this;
  }

  /** Feeds a number as its 8 IEEE-754 bytes (so 1 and 1.5 differ, and -0 differs from 0). */
  number(value: number): this {
    this.scratch.setFloat64(0, value, true);
    return this.bytes(this.scratchBytes);
  }

  /** Feeds a string as its length and UTF-16 code units, so concatenations cannot collide. */
  string(value: string): this {
    this.number(value.length);
    const units = new Uint8Array(value.length * 2);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      units[2 * i] = code & 0xff;
      units[2 * i + 1] = code >>> 8;
    }
    return this.bytes(units);
  }

  /** Feeds the bytes of a typed array's elements (platform byte order: little-endian everywhere curv runs). */
  view(data: ArrayBufferView): this {
    return this.bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** The hash so far, as 16 hex digits. */
  digest(): string {
    return this.high.toString(16).padStart(8, "0") + this.low.toString(16).padStart(8, "0");
  }
}
