import type { DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";

/**
 * One extent of a value's shape: a number, or a symbolic name (such as
 * `"batch"`) that is bound when the graph runs. Symbolic dimensions let one
 * compiled graph serve every batch size.
 */
export type Dim = number | string;

/** The type of a value in a graph: dtype and (possibly symbolic) shape. */
export interface ValueType {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** A named, typed value: a graph input, output or intermediate. */
export interface ValueInfo extends ValueType {
  readonly name: string;
}

/** An attribute of a node, as in ONNX: numbers, strings, lists, or a tensor. */
export type AttributeValue = number | string | readonly number[] | readonly string[] | Tensor;

/**
 * One operator application. `op` is an ONNX operator name (`"MatMul"`,
 * `"Conv"`, ...) in the default domain unless `domain` says otherwise. An
 * empty string among `inputs` marks an omitted optional input, as in ONNX.
 */
export interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly name?: string;
  readonly domain?: string;
}

/**
 * A dataflow graph of ONNX operators in topological order.
 *
 * `constants` are named tensors baked into the graph (ONNX initializers).
 * Parameters, data, probe vectors and random draws are `inputs`, never
 * constants, so one compiled graph serves every value.
 */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly Node[];
  readonly constants: ReadonlyMap<string, Tensor>;
  /** The default-domain opset version the graph targets (17 or newer). */
  readonly opset: number;
}

/** The opset curv writes when nothing else is asked for. */
export const DEFAULT_OPSET = 17;
