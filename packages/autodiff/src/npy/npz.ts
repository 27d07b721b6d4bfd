/**
 * `.npz` archives: a zip file of `.npy` entries, one per array, as NumPy's
 * `savez` (stored) and `savez_compressed` (deflated) write them. The zip
 * container is written by `fflate` and read by `zip-reader.ts` (bounded,
 * CRC-checked); the entries by {@link loadNpy}
 * and {@link saveNpy}.
 */
import { Tensor } from "@curv/tensor";
import { zipSync } from "fflate";
import { loadNpy } from "./load-npy.js";
import { NpyFormatError } from "./npy-error.js";
import { saveNpy } from "./save-npy.js";
import { readZipEntries } from "./zip-reader.js";

const SUFFIX = ".npy";
/** A fixed modification time (the zip epoch), so the same arrays always give the same bytes. */
const ZIP_EPOCH = new Date(1980, 0, 1);

/** The default of {@link LoadNpzOptions.maxBytes}: 1 GiB of arrays, unpacked. */
export const DEFAULT_MAX_NPZ_BYTES = 2 ** 30;

/** Options of {@link loadNpz}. */
export interface LoadNpzOptions {
  /**
   * The most bytes the loaded entries may take unpacked, in all; checked
   * against the sizes the archive declares before anything is inflated, and
   * while inflating. Default {@link DEFAULT_MAX_NPZ_BYTES} (1 GiB).
   */
  readonly maxBytes?: number;
  /** Load only these arrays (names without `.npy`); the other entries are never inflated. Default: all. */
  readonly names?: readonly string[];
}

/**
 * Loads the arrays of a NumPy `.npz` archive (stored or deflated entries),
 * keyed by name without the `.npy` suffix, in archive order.
 *
 * Hostile archives are refused before they cost memory: entry names are
 * checked and the declared sizes summed against `maxBytes` before any entry
 * is inflated, an entry that inflates past its declared size stops at once,
 * and every entry's CRC-32 is verified (as NumPy's `zipfile` does).
 *
 * @throws {NpyFormatError} when the bytes are not a readable zip archive
 * (truncated, corrupt, CRC mismatch), an entry is not a `.npy` file, or an
 * entry fails to load; the message names the entry.
 * @throws {InputLimitError} when the arrays take more than `maxBytes` unpacked.
 *
 * @example
 * ```ts
 * const { X, y } = loadNpz(readInputFile("mlp-mse.data.npz"), { names: ["X", "y"] });
 * X.shape; // [8, 7]
 * ```
 */
export function loadNpz(bytes: Uint8Array, options: LoadNpzOptions = {}): Record<string, Tensor> {
  if (!(bytes instanceof Uint8Array)) {
    throw new NpyFormatError(`loadNpz: expected the archive bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_NPZ_BYTES;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) throw new NpyFormatError(`loadNpz: maxBytes must be a non-negative integer, got ${String(maxBytes)}`);
  const wanted = options.names === undefined ? undefined : new Set(options.names);
  const accept = (entryName: string): boolean => {
    if (entryName.endsWith("/")) return false; // a directory record, not an array
    if (!entryName.endsWith(SUFFIX)) {
      throw new NpyFormatError(`.npz entry "${entryName}" is not a .npy file (NumPy archives hold only <name>.npy entries)`);
    }
    return wanted === undefined || wanted.has(entryName.slice(0, -SUFFIX.length));
  };
  const arrays: Record<string, Tensor> = {};
  readZipEntries(bytes, { accept, maxBytes }, (entryName, entryBytes) => {
    try {
      arrays[entryName.slice(0, -SUFFIX.length)] = loadNpy(entryBytes);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new NpyFormatError(`.npz entry "${entryName}": ${reason}`, { cause });
    }
  });
  return arrays;
}

/**
 * The names of the arrays in a `.npz` archive (without `.npy`), in archive
 * order, read from its central directory without inflating anything.
 *
 * @throws {NpyFormatError} when the bytes are not a readable zip archive.
 *
 * @example
 * ```ts
 * npzNames(readInputFile("data.npz")); // ["X", "y"]
 * ```
 */
export function npzNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  readZipEntries(bytes, { accept: (name) => (names.push(name.replace(/\.npy$/, "")), false), maxBytes: 0 }, () => undefined);
  return names;
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
 * await writeFileAtomic("data.npz", saveNpz({ X, y }, { compressed: true }));
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
