/**
 * What the registry knows about one ONNX operator: its signature (inputs,
 * outputs, dtypes, attributes), its shape rule and its evaluation on host
 * kernels.
 */
import type { DType } from "../../dtype.js";
import type { Tensor } from "../../tensor.js";
import type { AttributeValue, ValueType } from "../ir.js";
import type { AttributeReader } from "./attributes.js";

/** One formal input, as in the ONNX operator schema. */
export interface InputSpec {
  /** The schema's name for the input (`"X"`, `"axes"`), used in messages. */
  readonly name: string;
  /**
   * The type variable (`"T"`, `"I"`) whose dtypes the operator's
   * `typeConstraints` list. Inputs that share a variable must share a dtype.
   */
  readonly type: string;
  /** May be left out (an empty input name in a node, `undefined` here). */
  readonly optional?: boolean;
  /** Repeats: the last input of variadic operators (Concat, Max, Min). */
  readonly variadic?: boolean;
}

/** The value types an attribute may hold, named as ONNX's `AttributeProto` types. */
export type AttributeKind = "int" | "ints" | "float" | "floats" | "string" | "tensor";

/** One attribute of an operator: its kind, its ONNX default, and (for strings) its allowed values. */
export interface AttributeSpec {
  readonly kind: AttributeKind;
  /** The opset-17 default; attributes without one are optional unless `required`. */
  readonly default?: AttributeValue;
  readonly required?: boolean;
  /** The allowed values of a string attribute (`auto_pad`, `mode`). */
  readonly oneOf?: readonly string[];
}

/** An inclusive range of counts; `max` is `Infinity` for variadic inputs. */
export interface CountRange {
  readonly min: number;
  readonly max: number;
}

/** Options of {@link OperatorDefinition.evaluate}. */
export interface EvaluateOptions {
  /** How many outputs the node uses (optional outputs beyond it are not computed); defaults to all. */
  readonly outputCount?: number;
  /** Prefix of error messages, e.g. `node "conv1" (Conv)`; defaults to the operator name. */
  readonly context?: string;
}

/**
 * An ONNX operator as the registry defines it, with opset-17 semantics.
 *
 * `inferTypes` and `evaluate` check arity, dtypes and attributes first and
 * fill in attribute defaults, so they are safe to call on unchecked nodes;
 * every error they throw starts with `context` (the operator name unless
 * given) and names the offending input or attribute.
 *
 * @example
 * ```ts
 * const matmul = getOperator("MatMul");
 * matmul.inferTypes([{ dtype: "float32", shape: ["batch", 7] }, { dtype: "float32", shape: [7, 3] }]);
 * // [{ dtype: "float32", shape: ["batch", 3] }]
 * matmul.evaluate([ones([2, 7]), ones([7, 3])])[0].shape; // [2, 3]
 * ```
 */
export interface OperatorDefinition {
  readonly name: string;
  readonly inputs: readonly InputSpec[];
  readonly inputCount: CountRange;
  readonly outputCount: CountRange;
  /** Allowed dtypes of each type variable of {@link InputSpec.type}. */
  readonly typeConstraints: Readonly<Record<string, readonly DType[]>>;
  readonly attributes: Readonly<Record<string, AttributeSpec>>;
  /** The dtypes allowed for input `index` (variadic inputs repeat the last spec). */
  inputDTypes(index: number): readonly DType[];
  /**
   * Output types (all `outputCount.max` of them) from input types; omitted
   * optional inputs are `undefined`. `constantInputs[i]` is the value of input
   * `i` where it is known when the graph is built (a shape, axes, pads),
   * which some operators need to know their output shape.
   */
  inferTypes(
    inputs: readonly (ValueType | undefined)[],
    attributes?: Readonly<Record<string, AttributeValue>>,
    constantInputs?: readonly (Tensor | undefined)[],
    context?: string,
  ): ValueType[];
  /**
   * Output values that follow from the input types alone (Shape of a value
   * whose shape is static), or `undefined`; constant folding and typing use it.
   */
  valuesFromTypes(
    inputs: readonly (ValueType | undefined)[],
    attributes?: Readonly<Record<string, AttributeValue>>,
    context?: string,
  ): Tensor[] | undefined;
  /** Output values from input values, on the host kernels. */
  evaluate(
    inputs: readonly (Tensor | undefined)[],
    attributes?: Readonly<Record<string, AttributeValue>>,
    options?: EvaluateOptions,
  ): Tensor[];
}

/**
 * What an operator module writes: the signature plus two rules that receive
 * checked inputs and attributes with defaults filled in.
 * {@link defineOperator} turns it into an {@link OperatorDefinition}.
 */
export interface OperatorRules {
  readonly name: string;
  readonly inputs: readonly InputSpec[];
  /** Defaults to exactly one output. */
  readonly outputCount?: CountRange;
  readonly typeConstraints: Readonly<Record<string, readonly DType[]>>;
  readonly attributes?: Readonly<Record<string, AttributeSpec>>;
  inferTypes(
    inputs: readonly (ValueType | undefined)[],
    attributes: AttributeReader,
    constantInputs: readonly (Tensor | undefined)[],
  ): ValueType[];
  evaluate(inputs: readonly (Tensor | undefined)[], attributes: AttributeReader, outputCount: number): Tensor[];
  /** See {@link OperatorDefinition.valuesFromTypes}; most operators leave it out. */
  valuesFromTypes?(inputs: readonly (ValueType | undefined)[], attributes: AttributeReader): Tensor[] | undefined;
}

/** Dtype groups used by the type constraints (ONNX's, restricted to curv's dtypes). */
export const FLOAT_DTYPES: readonly DType[] = ["float32", "float64"];
export const INTEGER_DTYPES: readonly DType[] = ["int32", "int64"];
export const NUMERIC_DTYPES: readonly DType[] = [...FLOAT_DTYPES, ...INTEGER_DTYPES];
export const ALL_DTYPES: readonly DType[] = [...NUMERIC_DTYPES, "bool"];
export const INT64_DTYPES: readonly DType[] = ["int64"];
export const BOOL_DTYPES: readonly DType[] = ["bool"];
