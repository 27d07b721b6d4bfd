/**
 * Writing a file so that it is either the old file or the whole new one:
 * the bytes go to a temporary file in the same folder, are flushed to disk
 * (fsync), and the temporary file is renamed over the target, which POSIX
 * makes atomic. A failed write (full disk, interrupt, no permission) leaves
 * the old file untouched and removes the temporary file; one left by a
 * process that exits mid-write is removed by the exit handler.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FileAccessError } from "../errors.js";

/** Temporary files being written now, removed if the process exits before their rename. */
const pending = new Set<string>();
let exitHandlerInstalled = false;

function removePending(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // Already renamed or removed.
    }
  }
  pending.clear();
}

function temporaryPathFor(path: string): string {
  if (!exitHandlerInstalled) {
    process.once("exit", removePending);
    exitHandlerInstalled = true;
  }
  const random = Math.floor(Math.random() * 2 ** 32).toString(36);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${random}.tmp`);
  pending.add(temporary);
  return temporary;
}

function failure(path: string, cause: unknown): FileAccessError {
  if (cause instanceof FileAccessError) return cause;
  return new FileAccessError(`${path}: cannot write: ${(cause as Error).message}`, { cause });
}

function asBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** Checked before the rename: an aborted signal removes the temporary file and rejects, leaving the target as it was. */
  readonly signal?: AbortSignal;
}

/**
 * Writes `data` to `path` atomically (temporary file, fsync, rename). The
 * folder must exist.
 *
 * @throws {FileAccessError} when the write fails; the old file at `path` is
 * untouched and no temporary file is left.
 *
 * @example
 * ```ts
 * await writeFileAtomic("hessian.npy", saveNpy(H));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileAtomicOptions = {}): Promise<void> {
  const bytes = asBytes(data);
  const temporary = temporaryPathFor(path);
  try {
    const file = await open(temporary, "wx", 0o666);
    try {
      let written = 0;
      while (written < bytes.length) written += (await file.write(bytes, written, bytes.length - written)).bytesWritten;
      await file.sync();
    } finally {
      await file.close();
    }
    options.signal?.throwIfAborted();
    await rename(temporary, path);
  } catch (cause) {
    await unlink(temporary).catch(() => undefined);
    throw options.signal?.aborted === true && cause === options.signal.reason ? cause : failure(path, cause);
  } finally {
    pending.delete(temporary);
  }
}

/**
 * The synchronous form of {@link writeFileAtomic}, for scripts.
 *
 * @example
 * ```ts
 * writeFileAtomicSync("hessian.png", heatmapPng(H));
 * ```
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const bytes = asBytes(data);
  const temporary = temporaryPathFor(path);
  try {
    const descriptor = openSync(temporary, "wx", 0o666);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(descriptor, bytes, written, bytes.length - written);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (cause) {
    try {
      unlinkSync(temporary);
    } catch {
      // Never created, or already gone.
    }
    throw failure(path, cause);
  } finally {
    pending.delete(temporary);
  }
}
