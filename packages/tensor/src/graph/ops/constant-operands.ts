/** Values of constant operands (shapes, axes, pads, scalar bounds) read as plain numbers. */
import type { DType } from "../../dtype.js";
import { GraphError, ShapeError } from "../../errors.js";
import type { Tensor } from "../../tensor.js";

const INTEGER_STORAGE: readonly DType[] = ["int32", "int64"];

/**
 * The entries of an integer tensor as numbers (shapes, axes, pads, repeats),
 * or `undefined` when the tensor is not known. int64 entries beyond 2^53 are
 * clamped there, which keeps ONNX's "to the end" sentinels (2^63 - 1) usable.
 */
export function integersOf(value: Tensor | undefined, what: string): number[] | undefined {
  if (value === undefined) return undefined;
  if (!INTEGER_STORAGE.includes(value.dtype)) throw new GraphError(`${what} must be an integer tensor, got ${value.dtype}`);
  if (value.ndim > 1) throw new ShapeError(`${what} must be 1-D, got rank ${value.ndim}`);
  return Array.from(value.data as ArrayLike<number | bigint>, (v) =>
    Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Number(v))),
  );
}

/** The single entry of a one-element tensor (a scalar input such as Clip's bounds), as a number. */
export function scalarOf(value: Tensor, what: string): number {
  if (value.size !== 1) throw new ShapeError(`${what} must hold exactly one element, got shape [${value.shape.join(", ")}]`);
  return Number(value.data[0]);
}
