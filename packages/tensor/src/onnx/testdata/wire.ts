/**
 * A hand-written protobuf wire-format writer for tests. It shares nothing
 * with protobufjs or schema.ts, so models built with it (field numbers typed
 * in from onnx.proto) are an independent reference for the codec.
 *
 * Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit.
 */

function varintBytes(value: bigint | number): number[] {
  // Negative numbers are written as their 64-bit two's complement (10 bytes).
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
}

function tag(fieldNumber: number, wireType: number): number[] {
  return varintBytes((fieldNumber << 3) | wireType);
}

/** Joins encoded fields into one message body. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A varint field (int32, int64, enum). */
export function varint(fieldNumber: number, value: bigint | number): Uint8Array {
  return new Uint8Array([...tag(fieldNumber, 0), ...varintBytes(value)]);
}

/** A length-delimited field holding `payload` (bytes, or an embedded message). */
export function bytes(fieldNumber: number, payload: Uint8Array): Uint8Array {
  return concat(new Uint8Array([...tag(fieldNumber, 2), ...varintBytes(payload.length)]), payload);
}

/** A string field (UTF-8). */
export function string(fieldNumber: number, text: string): Uint8Array {
  return bytes(fieldNumber, new TextEncoder().encode(text));
}

/** An embedded message made of `fields`. */
export function message(fieldNumber: number, ...fields: Uint8Array[]): Uint8Array {
  return bytes(fieldNumber, concat(...fields));
}

/** A single float field (fixed 32-bit, little-endian). */
export function float32(fieldNumber: number, value: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setFloat32(0, value, true);
  return concat(new Uint8Array(tag(fieldNumber, 5)), payload);
}

/** A packed repeated float field. */
export function packedFloat32(fieldNumber: number, values: readonly number[]): Uint8Array {
  const payload = new Uint8Array(4 * values.length);
  values.forEach((v, i) => new DataView(payload.buffer).setFloat32(4 * i, v, true));
  return bytes(fieldNumber, payload);
}

/** A packed repeated double field. */
export function packedFloat64(fieldNumber: number, values: readonly number[]): Uint8Array {
  const payload = new Uint8Array(8 * values.length);
  values.forEach((v, i) => new DataView(payload.buffer).setFloat64(8 * i, v, true));
  return bytes(fieldNumber, payload);
}

/** A packed repeated varint field (int32, int64). */
export function packedVarint(fieldNumber: number, values: readonly (bigint | number)[]): Uint8Array {
  return bytes(fieldNumber, new Uint8Array(values.flatMap(varintBytes)));
}
