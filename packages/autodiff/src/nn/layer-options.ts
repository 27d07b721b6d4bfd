/**
 * Construction options shared by layers with parameters, and the checks
 * every layer makes of its input.
 */
import { DTypeError, formatShape, ShapeError, ValueError, type FloatDType, type Generator } from "@curv/tensor";
import type { Value } from "../core/value.js";
import type { ForwardContext } from "./forward-context.js";
import type { Module } from "./module.js";

/** How a layer's parameters are made: PyTorch's `device`/`dtype` factory arguments plus the generator PyTorch keeps globally. */
export interface ParameterOptions {
  /** Draws the initial values; default {@link defaultGenerator} (shared, seeded 0). */
  readonly generator?: Generator;
  /** The parameters' dtype; default `"float32"` as in PyTorch. */
  readonly dtype?: FloatDType;
}

/** Checks that `value` is a positive integer (a feature or channel count). */
export function assertPositiveInteger(what: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ValueError(`${what}: ${name} must be a positive integer, got ${value}`);
}

/** Checks the input's rank and dtype against a layer's parameter, with a message naming the layer. */
export function assertLayerInput(ctx: ForwardContext, module: Module, x: Value, { minRank, rank, dtype, expected }: { minRank?: number; rank?: number; dtype?: string; expected: string }): void {
  const who = ctx.describe(module);
  if ((rank !== undefined && x.rank !== rank) || (minRank !== undefined && x.rank < minRank)) {
    throw new ShapeError(`${who}: expected input ${expected}, got ${x}`);
  }
  if (dtype !== undefined && x.dtype !== dtype) throw new DTypeError(`${who}: the input is ${x.dtype} but the parameters are ${dtype} (convert the model with .to("${x.dtype}") or cast the data)`);
}

/** Checks an input extent, with a message naming the layer and both shapes. */
export function assertExtent(ctx: ForwardContext, module: Module, x: Value, axis: number, extent: number, expected: string): void {
  const actual = x.shape[axis < 0 ? x.rank + axis : axis];
  if (actual !== extent) throw new ShapeError(`${ctx.describe(module)}: expected input ${expected}, got ${x.dtype} ${formatShape(x.shape)}`);
}
