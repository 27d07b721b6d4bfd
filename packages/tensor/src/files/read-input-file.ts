/**
 * Reading an input file with a bound: only regular files (a FIFO, a device
 * such as `/dev/zero` or a socket would hang or never end), and no more than
 * `maxBytes`, checked before anything is allocated. Streams are read with
 * {@link readInputStream}, under the same bound.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { FileAccessError, InputLimitError } from "../errors.js";
import { formatBytes } from "./format-bytes.js";

/** The default bound of {@link readInputFile} and {@link readInputStream}: 2 GiB, the most one Node buffer holds. */
export const DEFAULT_MAX_INPUT_BYTES = 2 ** 31 - 1;

/** Options of {@link readInputFile} and {@link readInputStream}. */
export interface ReadInputOptions {
  /** The largest input accepted, in bytes; default {@link DEFAULT_MAX_INPUT_BYTES} (2 GiB). */
  readonly maxBytes?: number;
}

function maxBytesOf(options: ReadInputOptions): number {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) throw new InputLimitError(`maxBytes must be a non-negative integer, got ${String(maxBytes)}`);
  return Math.min(maxBytes, DEFAULT_MAX_INPUT_BYTES);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

function tooLarge(what: string, size: string, maxBytes: number): InputLimitError {
  return new InputLimitError(`${what} is ${size}, over the limit of ${formatBytes(maxBytes)} (raise it with the maxBytes option)`);
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them.
 *
 * @throws {FileAccessError} when the file does not exist, cannot be opened,
 * or is not a regular file (a folder, FIFO, device, socket).
 * @throws {InputLimitError} when it is larger than `maxBytes` (or grows past
 * its size while being read).
 *
 * @example
 * ```ts
 * const bytes = readInputFile("model.onnx", { maxBytes: 512 * 2 ** 20 });
 * ```
 */
export function readInputFile(path: string, options: ReadInputOptions = {}): Uint8Array {
  const maxBytes = maxBytesOf(options);
  let descriptor: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer would block forever before fstat could refuse it.
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (cause as Error).message;
    throw new FileAccessError(`${path}: ${reason}`, { cause });
  }
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw new FileAccessError(`${path}: is ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw tooLarge(`${path}:`, formatBytes(stats.size), maxBytes);
    const bytes = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const read = readSync(descriptor, bytes, filled, bytes.length - filled, null);
      if (read === 0) break;
      filled += read;
    }
    // A file that grows while it is read is not what fstat described.
    if (filled === bytes.length && readSync(descriptor, new Uint8Array(1), 0, 1, null) !== 0) {
      throw new FileAccessError(`${path}: the file grew while it was read`);
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The bytes of a stream (stdin, a socket, a web response body), at most
 * `maxBytes`: reading stops with an {@link InputLimitError} as soon as more
 * arrive, so an endless stream is never buffered whole.
 *
 * @example
 * ```ts
 * const bytes = await readInputStream(process.stdin, { maxBytes: 2 ** 30 });
 * ```
 */
export async function readInputStream(stream: AsyncIterable<Uint8Array | string>, options: ReadInputOptions = {}): Promise<Uint8Array> {
  const maxBytes = maxBytesOf(options);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    total += bytes.length;
    if (total > maxBytes) throw tooLarge("the stream", `over ${formatBytes(total - 1)} long`, maxBytes);
    chunks.push(bytes);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
