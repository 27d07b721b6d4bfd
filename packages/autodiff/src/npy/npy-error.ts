import { CurvError } from "@curv/tensor";

/**
 * A `.npy` or `.npz` file could not be read or written: bad magic, a
 * truncated header or body, an unsupported dtype, a corrupt zip archive.
 * The message names the problem and, inside an archive, the entry.
 */
export class NpyFormatError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("NPY_FORMAT", message, options);
  }
}
