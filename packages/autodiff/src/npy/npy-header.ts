/**
 * The `.npy` header (NumPy's `numpy.lib.format`, versions 1.0, 2.0 and 3.0):
 * the magic string `\x93NUMPY`, a version, the header length (2 bytes in
 * 1.0, 4 bytes after), and a Python dict literal with `descr`,
 * `fortran_order` and `shape`, padded with spaces to a multiple of 64 bytes
 * and ended by a newline.
 */
import { NpyFormatError } from "./npy-error.js";
import { parsePythonLiteral, type PythonLiteral } from "./python-literal.js";

/** What a `.npy` header says. */
export interface NpyHeader {
  /** NumPy's dtype string, e.g. `<f4` (or a field list for structured dtypes). */
  readonly descr: PythonLiteral;
  /** Whether the body is in column-major (Fortran) order. */
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Byte offset of the body in the file. */
  readonly dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/**
 * The longest header read. NumPy itself refuses headers over 10,000 bytes
 * (`max_header_size`) unless told otherwise; a header this long is a
 * hostile or broken file, not a large array.
 */
export const MAX_HEADER_BYTES = 1 << 20;
/** NumPy aligns the body to 64 bytes so it can be memory-mapped. */
const ALIGNMENT = 64;

/**
 * Reads the header of a `.npy` file.
 *
 * @throws {NpyFormatError} when the magic string is missing, the version is
 * unknown, the file ends inside the header, or the dict lacks a key or has a
 * bad value; the message names which.
 *
 * @example
 * ```ts
 * readNpyHeader(bytes); // { descr: "<f4", fortranOrder: false, shape: [8, 7], dataOffset: 128 }
 * ```
 */
export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    const start = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new NpyFormatError(`not a .npy file: expected the magic string \\x93NUMPY at the start, got ${bytes.length === 0 ? "an empty file" : `bytes ${start}`}`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) throw new NpyFormatError(`.npy format version ${major}.${bytes[7]} is not supported (expected 1.0, 2.0 or 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) throw new NpyFormatError(`.npy file is truncated: it ends inside the header length (${bytes.length} bytes)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthSize;
  if (headerLength > MAX_HEADER_BYTES) throw new NpyFormatError(`.npy header of ${headerLength} bytes is longer than the ${MAX_HEADER_BYTES} bytes curv reads (a corrupt or hostile file)`);
  const dataOffset = headerStart + headerLength;
  if (dataOffset > bytes.length) {
    throw new NpyFormatError(`.npy file is truncated: the header needs ${headerLength} bytes after byte ${headerStart}, but the file has ${bytes.length} bytes in all`);
  }
  // Versions 1 and 2 write the header in latin-1, version 3 in UTF-8 (for non-ASCII field names).
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(headerStart, dataOffset));
  return { ...headerFields(parsePythonLiteral(text)), dataOffset };
}

function headerFields(dict: PythonLiteral): Omit<NpyHeader, "dataOffset"> {
  if (dict === null || typeof dict !== "object" || Array.isArray(dict)) {
    throw new NpyFormatError(`.npy header: expected a dict, got ${JSON.stringify(dict)}`);
  }
  for (const key of ["descr", "fortran_order", "shape"]) {
    if (!(key in dict)) throw new NpyFormatError(`.npy header: the key '${key}' is missing from ${JSON.stringify(dict)}`);
  }
  const { descr, fortran_order: fortranOrder, shape } = dict;
  if (typeof fortranOrder !== "boolean") throw new NpyFormatError(`.npy header: 'fortran_order' must be True or False, got ${JSON.stringify(fortranOrder)}`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    throw new NpyFormatError(`.npy header: 'shape' must be a tuple of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return { descr, fortranOrder, shape: shape as number[] };
}

/**
 * NumPy leaves room for the first extent to grow to this many digits without
 * rewriting the file (`numpy.lib.format.GROWTH_AXIS_MAX_DIGITS`).
 */
const GROWTH_AXIS_MAX_DIGITS = 21;

/**
 * The header of a C-order `.npy` file of `descr` and `shape`, byte for byte
 * as `numpy.save` writes it (`_write_array_header` and `_wrap_header`):
 * version 1.0 unless the header needs more than 65535 bytes (then 2.0).
 */
export function writeNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  // Python's repr of a tuple: "()" for a scalar, "(8,)" for one axis.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const growth = shape.length === 0 ? 0 : GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }` + " ".repeat(Math.max(0, growth));
  const wrap = (major: number) => {
    const headerStart = major === 1 ? 10 : 12;
    // As NumPy: between 1 and 64 spaces (never 0), then the newline.
    const padding = ALIGNMENT - ((headerStart + dict.length + 1) % ALIGNMENT);
    return { major, headerStart, text: dict + " ".repeat(padding) + "\n" };
  };
  const v1 = wrap(1);
  const { major, headerStart, text } = v1.text.length <= 0xffff ? v1 : wrap(2);
  const bytes = new Uint8Array(headerStart + text.length);
  bytes.set(MAGIC);
  bytes[6] = major;
  const view = new DataView(bytes.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) bytes[headerStart + i] = text.charCodeAt(i);
  return bytes;
}
