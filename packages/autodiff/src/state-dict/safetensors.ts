/**
 * State dicts in the safetensors format (huggingface/safetensors): an
 * 8-byte little-endian header length N, N bytes of JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`,
 * then the tensors' raw little-endian bytes, offsets relative to the end of
 * the header. The format is small enough to read and write here, with every
 * rule of the specification checked on read (offsets in bounds, contiguous,
 * without holes or overlaps, sizes matching shapes).
 */
import { allocate, itemSize, Tensor, ValueError, type DType } from "@curv/tensor";
import type { StateDict } from "../nn/module.js";

/** safetensors dtype names of the dtypes curv stores. */
const SAFETENSORS_DTYPES: Readonly<Record<string, DType>> = { F32: "float32", F64: "float64", I32: "int32", I64: "int64", BOOL: "bool" };
const NAME_OF: Readonly<Record<DType, string>> = { float32: "F32", float64: "F64", int32: "I32", int64: "I64", bool: "BOOL" };

/** The reference implementation refuses headers over 100 MB; so do we (a corrupt length would otherwise allocate gigabytes). */
const MAX_HEADER_BYTES = 100_000_000;

const littleEndianPlatform = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A decoded safetensors file. */
export interface Safetensors {
  /** The tensors, in the order of their data in the file. */
  readonly tensors: StateDict;
  /** The free-form string map `__metadata__` (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
}

function fail(message: string): never {
  throw new ValueError(`safetensors: ${message}`);
}

interface HeaderEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function parseHeader(bytes: Uint8Array): { entries: HeaderEntry[]; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8) fail(`the file has ${bytes.length} bytes; expected at least 8 (the header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES) fail(`the header length ${headerLength} exceeds the 100 MB limit (corrupt or not a safetensors file)`);
  if (8 + headerLength > bytes.length) fail(`the header length ${headerLength} exceeds the ${bytes.length - 8} bytes after it (truncated or corrupt file)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail("the header must be a JSON object");
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (raw === null || typeof raw !== "object" || !Object.values(raw).every((v) => typeof v === "string")) fail("__metadata__ must map strings to strings");
      Object.assign(metadata, raw);
      continue;
    }
    entries.push(parseEntry(name, raw));
  }
  return { entries, metadata, dataStart: 8 + headerLength };
}

function parseEntry(name: string, raw: unknown): HeaderEntry {
  if (raw === null || typeof raw !== "object") fail(`tensor "${name}": expected {dtype, shape, data_offsets}, got ${JSON.stringify(raw)}`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== "string" || !(dtype in SAFETENSORS_DTYPES)) {
    fail(`tensor "${name}": dtype ${JSON.stringify(dtype)} is not supported; expected one of ${Object.keys(SAFETENSORS_DTYPES).join(", ")}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`tensor "${name}": shape must be non-negative integers, got ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
    fail(`tensor "${name}": data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
  }
  const type = SAFETENSORS_DTYPES[dtype];
  const expected = shape.reduce((a: number, b: number) => a * b, 1) * itemSize(type);
  if (offsets[1] - offsets[0] !== expected) fail(`tensor "${name}": ${dtype} ${JSON.stringify(shape)} needs ${expected} bytes, data_offsets span ${offsets[1] - offsets[0]}`);
  return { name, dtype: type, shape, begin: offsets[0], end: offsets[1] };
}

/** The tensor stored in `bytes` (little-endian) as `dtype` of `shape`. */
function readTensor(bytes: Uint8Array, dtype: DType, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, size);
  const target = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  target.set(bytes);
  if (!littleEndianPlatform) reverseElementBytes(target, itemSize(dtype));
  return new Tensor(dtype, shape, data);
}

/** Swaps the bytes of every `width`-byte element in place (big-endian platforms only). */
function reverseElementBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/**
 * Reads a safetensors file: its tensors (F32, F64, I32, I64, BOOL) and
 * metadata. A corrupt or truncated file is a {@link ValueError} saying what
 * is wrong.
 *
 * @example
 * ```ts
 * const { tensors } = decodeSafetensors(readFileSync("model.safetensors"));
 * model.loadStateDict(tensors);
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): Safetensors {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`safetensors: expected a Uint8Array (or Buffer), got ${Object.prototype.toString.call(bytes)}`);
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const dataLength = bytes.length - dataStart;
  // The specification: the data buffer is entirely indexed, without holes or overlaps.
  const ordered = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const entry of ordered) {
    if (entry.begin !== covered) fail(`tensor "${entry.name}" starts at byte ${entry.begin}, expected ${covered} (the data has ${entry.begin > covered ? "a hole" : "overlapping tensors"})`);
    covered = entry.end;
  }
  if (covered !== dataLength) fail(`the tensors cover ${covered} bytes but the data section has ${dataLength} (truncated or corrupt file)`);
  const tensors: StateDict = {};
  for (const entry of ordered) tensors[entry.name] = readTensor(bytes.subarray(dataStart + entry.begin, dataStart + entry.end), entry.dtype, entry.shape);
  return { tensors, metadata };
}

/**
 * Writes tensors (a state dict) and optional string metadata as a
 * safetensors file, tensors in the dict's order, the header padded with
 * spaces to a multiple of 8 bytes as the reference writer does.
 *
 * @example
 * ```ts
 * writeFileAtomicSync("model.safetensors", encodeSafetensors(model.stateDict(), { format: "pt" }));
 * ```
 */
export function encodeSafetensors(tensors: Readonly<StateDict>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    if (!Object.values(metadata).every((v) => typeof v === "string")) throw new ValueError("safetensors: metadata values must be strings");
    header.__metadata__ = { ...metadata };
  }
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (name === "__metadata__") throw new ValueError('safetensors: "__metadata__" is reserved and cannot name a tensor');
    if (!(t instanceof Tensor)) throw new ValueError(`safetensors: "${name}" is not a Tensor`);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
    if (!littleEndianPlatform) reverseElementBytes(bytes, itemSize(t.dtype));
    header[name] = { dtype: NAME_OF[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  const padding = (8 - (encoder.encode(json).length % 8)) % 8;
  json += " ".repeat(padding);
  const headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}
