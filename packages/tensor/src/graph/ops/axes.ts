import { GraphError } from "../../errors.js";
import { attributeError } from "./attributes.js";

/**
 * Normalizes an axis that an attribute or a constant input gives, for a value
 * of rank `rank` (ONNX allows `[-rank, rank - 1]`). `what` names the source in
 * the error, e.g. `attribute "axis"` or `input 1 ("axes")`.
 */
export function normalizeAxisOf(what: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new GraphError(`${what}: axis ${axis} is out of range for rank ${rank} (expected ${-rank} to ${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalizes a list of axes (see {@link normalizeAxisOf}) and rejects repeats. */
export function normalizeAxesOf(what: string, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => normalizeAxisOf(what, a, rank));
  if (new Set(out).size !== out.length) throw new GraphError(`${what}: axes [${axes.join(", ")}] repeat an axis`);
  return out;
}

/** Normalizes the axis of an attribute; the error names the attribute. */
export function attributeAxis(name: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw attributeError(name, `is ${axis}, out of range for rank ${rank} (expected ${-rank} to ${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}
