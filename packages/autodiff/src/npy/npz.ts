/**
 * `.npz` archives: a zip file of `.npy` entries, one per array, as NumPy's
 * `savez` (stored) and `savez_compressed` (deflated) write them. The zip
 * container is read and written by `fflate`; the entries by {@link loadNpy}
 * and {@link saveNpy}.
 */
import { Tensor } from "@curv/tensor";
import { unzipSync, zipSync } from "fflate";
import { loadNpy } from "./load-npy.js";
import { NpyFormatError } from "./npy-error.js";
import { saveNpy } from "./save-npy.js";

const SUFFIX = ".npy";
/** A fixed modification time (the zip epoch), so the same arrays always give the same bytes. */
const ZIP_EPOCH = new Date(1980, 0, 1);

/**
 * Loads every array of a NumPy `.npz` archive (stored or deflated entries),
 * keyed by name without the `.npy` suffix, in archive order.
 *
 * @throws {NpyFormatError} when the bytes are not a readable zip archive
 * (truncated, corrupt), an entry is not a `.npy` file, or an entry fails to
 * load; the message names the entry.
 *
 * @example
 * ```ts
 * const { X, y } = loadNpz(new Uint8Array(await readFile("mlp-mse.data.npz")));
 * X.shape; // [8, 7]
 * ```
 */
export function loadNpz(bytes: Uint8Array): Record<string, Tensor> {
  if (!(bytes instanceof Uint8Array)) {
    throw new NpyFormatError(`loadNpz: expected the archive bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new NpyFormatError(`could not read .npz archive: ${reason} (the bytes are truncated, corrupt or not a zip file)`, { cause });
  }
  const arrays: Record<string, Tensor> = {};
  for (const [entryName, entryBytes] of Object.entries(entries)) {
    if (entryName.endsWith("/")) continue; // a directory record, not an array
    if (!entryName.endsWith(SUFFIX)) {
      throw new NpyFormatError(`.npz entry "${entryName}" is not a .npy file (NumPy archives hold only <name>.npy entries)`);
    }
    try {
      arrays[entryName.slice(0, -SUFFIX.length)] = loadNpy(entryBytes);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new NpyFormatError(`.npz entry "${entryName}": ${reason}`, { cause });
    }
  }
  return arrays;
}

/** Options of {@link saveNpz}. */
export interface SaveNpzOptions {
  /** Deflate the entries, as `numpy.savez_compressed`; default false (stored, as `numpy.savez`). */
  readonly compressed?: boolean;
}

/**
 * Encodes named tensors as a NumPy `.npz` archive (entry `<name>.npy` per
 * tensor, in the record's order) that `numpy.load` reads back. The bytes
 * depend only on the tensors (no timestamps).
 *
 * @throws {NpyFormatError} when a name is empty or a value is not a Tensor.
 *
 * @example
 * ```ts
 * await writeFile("data.npz", saveNpz({ X, y }, { compressed: true }));
 * ```
 */
export function saveNpz(arrays: Readonly<Record<string, Tensor>>, options: SaveNpzOptions = {}): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(arrays)) {
    if (name === "") throw new NpyFormatError("saveNpz: array names must be non-empty");
    if (!(value instanceof Tensor)) {
      throw new NpyFormatError(`saveNpz: "${name}" must be a Tensor, got ${Object.prototype.toString.call(value)}`);
    }
    entries[`${name}${SUFFIX}`] = saveNpy(value);
  }
  return zipSync(entries, { level: options.compressed === true ? 6 : 0, mtime: ZIP_EPOCH });
}
