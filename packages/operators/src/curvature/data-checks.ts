/**
 * Checks of what a curvature run reads and produces, so a bad number is
 * named where it enters instead of surfacing as a wrong matrix or as a
 * "non-deterministic model": NaN and infinite entries of the data, the
 * targets, the parameters and the programs' outputs (which tensor, which
 * batch, which entry), and class labels outside `[0, C)` (PyTorch's
 * `CrossEntropyLoss` raises for them; a one-hot of such a label is all
 * zeros, so the example would silently contribute nothing, and -1 would
 * wrap to class C - 1 in a gather).
 */
import { CurvError, formatShape, isFloat, type Tensor } from "@curv/tensor";

/** A tensor a curvature run reads or produces has a NaN or infinite entry; the message names the tensor, the batch and the entry. */
export class NonFiniteValueError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("NON_FINITE", message, options);
  }
}

/** A class label is not a class index `0 <= label < C` of the model's output; the message names the batch and the entry. */
export class ClassLabelError extends CurvError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CLASS_LABEL", message, options);
  }
}

/** The multi-index of flat entry `flat` of `shape`, as `[i, j, ...]`. */
function indexOf(shape: readonly number[], flat: number): string {
  const index: number[] = [];
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(rest % shape[axis]);
    rest = Math.floor(rest / shape[axis]);
  }
  return `[${index.join(", ")}]`;
}

/**
 * Throws a {@link NonFiniteValueError} at the first NaN or infinite entry of
 * a float tensor; `what` names it ("X of batch 3", "the parameter 0.weight").
 */
export function assertFinite(tensor: Tensor, what: string, who: string): void {
  if (!isFloat(tensor.dtype)) return;
  const data = tensor.data as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new NonFiniteValueError(
        `${who}: ${what} has ${data[i]} at entry ${indexOf(tensor.shape, i)} (shape ${formatShape(tensor.shape)}); ` +
          "curvature needs finite data, targets and parameters",
      );
    }
  }
}

/**
 * Throws a {@link ClassLabelError} at the first integer label outside
 * `[0, classes)`.
 */
export function assertClassLabels(labels: Tensor, classes: number, what: string, who: string): void {
  const data = labels.data as Int32Array | BigInt64Array | Uint8Array;
  for (let i = 0; i < data.length; i++) {
    const label = data[i];
    if (!(label >= 0 && label < classes)) {
      throw new ClassLabelError(
        `${who}: ${what} has class label ${label} at entry ${indexOf(labels.shape, i)}, but the model's output has ${classes} classes (labels must be 0 to ${classes - 1})`,
      );
    }
  }
}
