/**
 * Reading what the command line names: the ONNX model, the `.npz` data set
 * (cut into batches in order) and the `.npy` vector of `curv matvec`. Each
 * failure is one message that names the flag and the file.
 */
import { importOnnx, loadNpy, loadNpz, npzNames, type OnnxModel } from "@curv/autodiff";
import { CurvError, readInputFile as readBoundedFile, ShapeError, formatShape, isFloat, type FloatDType, type Tensor } from "@curv/tensor";
import { InputFileError } from "./cli-errors.js";
import { DEFAULT_MAX_INPUT_BYTES } from "./command-line.js";

/** One batch `[X, y]`, as curvature operators take it. */
export type Batch = [X: Tensor, y: Tensor];


/**
 * The bytes of the regular file `--flag` names, at most `maxBytes`, or an
 * {@link InputFileError} that says why they cannot be read (missing, a
 * folder, a FIFO or device, too large).
 */
export function readInputFile(flag: string, path: string, maxBytes = DEFAULT_MAX_INPUT_BYTES): Uint8Array {
  try {
    return readBoundedFile(path, { maxBytes });
  } catch (cause) {
    if (!(cause instanceof CurvError)) throw cause;
    const message = cause.message.replace("(raise it with the maxBytes option)", "(raise it with --max-input-bytes)");
    throw new InputFileError(`--${flag} ${message}`, { cause });
  }
}

/** Re-throws a decoding error with the flag and the file in front, keeping its class. */
function naming<T>(flag: string, path: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof CurvError) throw new InputFileError(`--${flag} ${path}: ${cause.message}`, { cause });
    throw cause;
  }
}

/** The ONNX model of `--model`, its float initializers as parameters in `dtype`. */
export function readModel(path: string, dtype: FloatDType, maxBytes = DEFAULT_MAX_INPUT_BYTES): OnnxModel {
  const bytes = readInputFile("model", path, maxBytes);
  return naming("model", path, () => importOnnx(bytes, { dtype }));
}

/**
 * The arrays `X` and `y` of the `.npz` at `path`, checked against the model's
 * input: `X` as `[N, ...input]` with the model's trailing extents, `y` with N
 * rows. Float arrays are converted to `dtype` (NumPy data are often float32
 * while the curvature is wanted in float64); integer targets (class indices)
 * stay as they are.
 */
export function readData(path: string, dtype: FloatDType, inputShape: readonly (number | string)[], maxBytes = DEFAULT_MAX_INPUT_BYTES): { X: Tensor; y: Tensor } {
  const bytes = readInputFile("data", path, maxBytes);
  // Only X and y are inflated; their unpacked size is bounded like the file's.
  const arrays = naming("data", path, () => loadNpz(bytes, { names: ["X", "y"], maxBytes }));
  for (const name of ["X", "y"]) {
    if (!(name in arrays)) {
      const present = npzNames(bytes).filter((n) => n !== "");
      throw new InputFileError(`--data ${path}: no array "${name}" (it holds ${present.length === 0 ? "no arrays" : present.map((n) => `"${n}"`).join(", ")}; expected X and y)`);
    }
  }
  const toDType = (t: Tensor): Tensor => (isFloat(t.dtype) && t.dtype !== dtype ? t.astype(dtype) : t);
  const X = toDType(arrays.X);
  const y = toDType(arrays.y);
  const fits = X.ndim === inputShape.length && inputShape.every((d, i) => i === 0 || typeof d !== "number" || d === X.shape[i]);
  if (!fits) {
    throw new ShapeError(`--data ${path}: X has shape ${formatShape(X.shape)}, but the model's input is ${formatShape(inputShape)}`);
  }
  if (X.shape[0] === 0) throw new InputFileError(`--data ${path}: X has no examples (shape ${formatShape(X.shape)}); the curvature needs N >= 1`);
  if (y.ndim === 0 || y.shape[0] !== X.shape[0]) {
    throw new ShapeError(`--data ${path}: X has ${X.shape[0]} examples (shape ${formatShape(X.shape)}) but y has shape ${formatShape(y.shape)}`);
  }
  return { X, y };
}

/**
 * `X` and `y` cut into consecutive batches of `batchSize` examples (the last
 * one smaller when N is not a multiple), in order, as a `DataLoader` without
 * shuffling does; `undefined`: one batch of everything.
 *
 * @example
 * ```ts
 * batchesOf(X, y, 4).map(([Xb]) => Xb.shape[0]);   // X with 10 rows: [4, 4, 2]
 * ```
 */
export function batchesOf(X: Tensor, y: Tensor, batchSize: number | undefined): Batch[] {
  const n = X.shape[0];
  const size = batchSize ?? n;
  const batches: Batch[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    batches.push([X.slice([start, end]), y.slice([start, end])]);
  }
  return batches;
}

/** The `.npy` of `--vector`: `[P]` or `[P, K]` for an operator with P columns, converted to `dtype`. */
export function readVector(path: string, columns: number, dtype: FloatDType, maxBytes = DEFAULT_MAX_INPUT_BYTES): Tensor<FloatDType> {
  const bytes = readInputFile("vector", path, maxBytes);
  const vector = naming("vector", path, () => loadNpy(bytes));
  if (!isFloat(vector.dtype)) throw new InputFileError(`--vector ${path}: expected a float array, got ${vector.dtype}`);
  if (!((vector.ndim === 1 || vector.ndim === 2) && vector.shape[0] === columns)) {
    throw new ShapeError(`--vector ${path}: expected shape [${columns}] or [${columns}, K] (P = ${columns} parameters), got ${formatShape(vector.shape)}`);
  }
  if (vector.ndim === 2 && vector.shape[1] === 0) throw new ShapeError(`--vector ${path}: has shape ${formatShape(vector.shape)}, no columns; expected [${columns}] or [${columns}, K] with K >= 1`);
  return (vector.dtype === dtype ? vector : vector.astype(dtype)) as Tensor<FloatDType>;
}
