/**
 * The shapes of the rules each transformation keeps per primitive. A
 * primitive's file writes its rules next to its definition; each
 * transformation collects the ones it needs into its own table.
 */
import type { Dim, GraphBuilder, Tensor, ValueInfo } from "@curv/tensor";
import type { Params, Primitive } from "../core/primitive.js";
import type { Value } from "../core/value.js";

/**
 * Forward mode: the tangent of `output = primitive(primals)` given the
 * operands' tangents (`null` for a symbolic zero). Returns `null` when the
 * tangent is zero. The result may have a broadcastable shape; the driver
 * broadcasts it to the output's shape.
 */
export type JvpRule<P extends Params = Params> = (
  primals: readonly Value[],
  tangents: readonly (Value | null)[],
  params: P,
  output: Value,
) => Value | null;

/**
 * Transposition of a linear primitive: given the cotangent of the output,
 * the cotangent of each operand marked `linear` (others get `null`). A
 * returned cotangent may keep the output's broadcast shape: the backward
 * driver sums it down to the operand's shape, once, for every rule.
 */
export type TransposeRule<P extends Params = Params> = (
  cotangent: Value,
  inputs: readonly Value[],
  linear: readonly boolean[],
  params: P,
  output: Value,
) => readonly (Value | null)[];

/**
 * Batching: the primitive applied to operands of which those marked
 * `batched` carry an extra leading axis of extent `size`. Returns the
 * output with the batch axis leading.
 */
export type BatchRule<P extends Params = Params> = (
  inputs: readonly Value[],
  batched: readonly boolean[],
  params: P,
  size: number,
) => Value;

/** What an ONNX lowering may use besides the builder. */
export interface LoweringContext {
  readonly builder: GraphBuilder;
  /** A constant int64 1-D tensor (shapes, axes, pads). */
  int64(values: readonly number[]): ValueInfo;
  /** A constant scalar of `dtype`. */
  scalar(value: number, dtype: ValueInfo["dtype"]): ValueInfo;
  /** A constant tensor under a fresh name. */
  constant(value: Tensor): ValueInfo;
  /**
   * A 1-D int64 tensor holding `shape` at run time; symbolic extents are read
   * from the graph inputs that carry them. Extents equal to `keep` at the
   * same position may be written as `fill` instead (Reshape's 0, Expand's 1),
   * which avoids reading shapes at run time.
   */
  shapeTensor(shape: readonly Dim[], keep?: { readonly shape: readonly Dim[]; readonly fill: number }): ValueInfo;
}

/** ONNX lowering: emits the nodes computing the primitive and returns the output. */
export type OnnxLowering<P extends Params = Params> = (
  context: LoweringContext,
  inputs: readonly ValueInfo[],
  params: P,
  output: Value,
) => ValueInfo;

/** Every rule a primitive may have, as its file writes them. */
export interface PrimitiveRules<P extends Params = Params> {
  readonly jvp?: JvpRule<P>;
  readonly transpose?: TransposeRule<P>;
  readonly batch?: BatchRule<P>;
  readonly lower?: OnnxLowering<P>;
}

/** A primitive with its rules: one row of the primitive index. */
export interface PrimitiveEntry<P extends Params = Params> {
  readonly primitive: Primitive<P>;
  readonly rules: PrimitiveRules<P>;
}

/** Builds a transformation's rule table from the primitive index. */
export function ruleTable<K extends keyof PrimitiveRules>(
  entries: readonly PrimitiveEntry[],
  kind: K,
): Map<Primitive, NonNullable<PrimitiveRules[K]>> {
  const table = new Map<Primitive, NonNullable<PrimitiveRules[K]>>();
  for (const { primitive, rules } of entries) {
    const rule = rules[kind];
    if (rule !== undefined) table.set(primitive, rule as NonNullable<PrimitiveRules[K]>);
  }
  return table;
}
