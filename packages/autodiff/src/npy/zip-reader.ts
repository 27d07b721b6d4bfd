/**
 * A zip reader for `.npz` archives that never inflates what it has not
 * checked: the central directory is read first, every entry's name is
 * checked (and skipped when it is not wanted) and its declared sizes summed
 * against the limit before any byte is inflated; inflating then stops as
 * soon as an entry yields more than it declared or the running total passes
 * the limit (a zip bomb, overlapping entries), and each entry's CRC-32 is
 * verified. Stored and deflated entries, zip64 sizes; no encryption.
 */
import { InputLimitError, formatBytes } from "@curv/tensor";
import { Inflate } from "fflate";
import { crc32 } from "./crc32.js";
import { NpyFormatError } from "./npy-error.js";

/** One entry of the central directory. */
interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** What {@link readZipEntries} does with each entry's name. */
export interface ZipReadOptions {
  /** Whether to inflate the entry named `name`; throw to refuse the archive. */
  readonly accept: (name: string) => boolean;
  /** The most inflated bytes in all, over the entries accepted. */
  readonly maxBytes: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;
/** Deflate's largest expansion: a 258-byte match per 2 bits at best, about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;
/** Input handed to the inflater at a time: deflate expands at most ~1032x, so one push yields at most ~16 MiB. */
const INFLATE_CHUNK = 16 * 1024;

function fail(message: string): never {
  throw new NpyFormatError(`could not read .npz archive: ${message} (the bytes are truncated, corrupt or not a zip file)`);
}

/** The end-of-central-directory record: searched backwards over at most the 64 KiB comment. */
function findEnd(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return fail("no end-of-central-directory record");
}

function centralDirectory(view: DataView): { count: number; offset: number } {
  const end = findEnd(view);
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if ((count === 0xffff || offset === 0xffffffff) && end >= 20 && view.getUint32(end - 20, true) === ZIP64_END_LOCATOR) {
    const record = safeNumber(view.getBigUint64(end - 12, true));
    if (record + 56 > view.byteLength || view.getUint32(record, true) !== ZIP64_END) fail("a broken zip64 end record");
    count = safeNumber(view.getBigUint64(record + 32, true));
    offset = safeNumber(view.getBigUint64(record + 48, true));
  }
  return { count, offset };
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(`a size or offset of ${value} bytes`);
  return Number(value);
}

function readEntries(bytes: Uint8Array, view: DataView): ZipEntry[] {
  const { count, offset } = centralDirectory(view);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_ENTRY) fail(`central directory entry ${i} is missing`);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength + extraLength > bytes.length) fail(`central directory entry ${i} is cut off`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    // zip64: sizes that do not fit 32 bits are 0xFFFFFFFF here and follow in the extra field 0x0001, in this order.
    const extra = new DataView(bytes.buffer, bytes.byteOffset + at + 46 + nameLength, extraLength);
    for (let e = 0; e + 4 <= extraLength; e += 4 + extra.getUint16(e + 2, true)) {
      if (extra.getUint16(e, true) !== 1) continue;
      let field = e + 4;
      const next = (): number => {
        if (field + 8 > extraLength) fail(`entry "${name}" has a short zip64 field`);
        const value = safeNumber(extra.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
    }
    entries.push({
      name, method: view.getUint16(at + 10, true), flags: view.getUint16(at + 8, true), crc: view.getUint32(at + 16, true),
      compressedSize, size, localHeaderOffset,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entry's data bytes (compressed or stored), located through its local header. */
function entryData(bytes: Uint8Array, view: DataView, entry: ZipEntry): Uint8Array {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_ENTRY) fail(`entry "${entry.name}" has no local header`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) fail(`entry "${entry.name}" is cut off`);
  return bytes.subarray(start, start + entry.compressedSize);
}

/** Inflates `data` into exactly `size` bytes, refusing more. */
function inflateBounded(name: string, data: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let filled = 0;
  const inflater = new Inflate((chunk) => {
    if (filled + chunk.length > size) fail(`entry "${name}" inflates to more than the ${size} bytes it declares`);
    out.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    for (let at = 0; at < data.length; at += INFLATE_CHUNK) inflater.push(data.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= data.length);
    if (data.length === 0) inflater.push(data, true);
  } catch (cause) {
    if (cause instanceof NpyFormatError) throw cause;
    fail(`entry "${name}" does not inflate (${(cause as Error).message})`);
  }
  if (filled !== size) fail(`entry "${name}" inflates to ${filled} bytes, but declares ${size}`);
  return out;
}

/**
 * Calls `use` with each accepted entry's name and inflated bytes, in archive
 * order, after checking every accepted entry's name and declared size.
 *
 * @throws {NpyFormatError} for a malformed archive, an encrypted entry or an
 * unknown compression, data that do not match the declared size or CRC-32.
 * @throws {InputLimitError} when the accepted entries declare more than `maxBytes`.
 */
export function readZipEntries(bytes: Uint8Array, { accept, maxBytes }: ZipReadOptions, use: (name: string, data: Uint8Array) => void): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) fail(`${bytes.length} bytes are too few for a zip archive`);
  const wanted = readEntries(bytes, view).filter((entry) => accept(entry.name));
  const seen = new Set<string>();
  let total = 0;
  for (const entry of wanted) {
    if (seen.has(entry.name)) fail(`entry "${entry.name}" appears twice`);
    seen.add(entry.name);
    if (entry.flags & 1) fail(`entry "${entry.name}" is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) fail(`entry "${entry.name}" uses compression method ${entry.method} (only stored and deflated are read)`);
    if (entry.method === 0 && entry.compressedSize !== entry.size) fail(`stored entry "${entry.name}" declares ${entry.size} bytes but holds ${entry.compressedSize}`);
    if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      fail(`entry "${entry.name}" declares ${entry.size} bytes from ${entry.compressedSize} compressed, more than deflate can produce`);
    }
    total += entry.size;
    if (total > maxBytes) {
      throw new InputLimitError(`the .npz archive's arrays take more than ${formatBytes(maxBytes)} unpacked (up to entry "${entry.name}": ${formatBytes(total)}); raise the maxBytes option to read it`);
    }
  }
  for (const entry of wanted) {
    const raw = entryData(bytes, view, entry);
    const data = entry.method === 0 ? raw : inflateBounded(entry.name, raw, entry.size);
    if (crc32(data) !== entry.crc) fail(`entry "${entry.name}" fails its CRC-32 check (stored ${hex(entry.crc)}, data give ${hex(crc32(data))})`);
    use(entry.name, data);
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, "0")}`;
}
