/**
 * The operator registry: every ONNX operator curv can type and evaluate, with
 * opset-17 semantics. Each family's module lists its definitions; this module
 * only collects them.
 */
import { GraphError } from "../../errors.js";
import { CONSTANT_OPERATORS } from "./constants.js";
import { CONV_OPERATORS } from "./conv.js";
import { ELEMENTWISE_OPERATORS } from "./elementwise.js";
import { INDEXING_OPERATORS } from "./indexing.js";
import { MATMUL_OPERATORS } from "./matmul.js";
import { NORMALIZATION_OPERATORS } from "./normalization.js";
import type { OperatorDefinition } from "./operator.js";
import { POOL_OPERATORS } from "./pool.js";
import { REDUCE_OPERATORS } from "./reduce.js";
import { SHAPE_MANIPULATION_OPERATORS } from "./shape-manipulation.js";

/** The opset whose operator semantics the registry implements. */
export const REGISTRY_OPSET = 17;

/**
 * Every supported operator by ONNX name.
 *
 * @example
 * ```ts
 * OPERATORS.has("Conv");               // true
 * OPERATORS.get("Gemm")!.attributes;   // { alpha: { kind: "float", default: 1 }, ... }
 * ```
 */
export const OPERATORS: ReadonlyMap<string, OperatorDefinition> = new Map(
  [
    ...ELEMENTWISE_OPERATORS,
    ...MATMUL_OPERATORS,
    ...REDUCE_OPERATORS,
    ...SHAPE_MANIPULATION_OPERATORS,
    ...INDEXING_OPERATORS,
    ...CONSTANT_OPERATORS,
    ...CONV_OPERATORS,
    ...POOL_OPERATORS,
    ...NORMALIZATION_OPERATORS,
  ].map((d) => [d.name, d]),
);

/**
 * The definition of operator `op`; throws a GraphError naming it (and listing
 * the supported ones) when curv does not support it.
 *
 * @example
 * ```ts
 * getOperator("Relu").evaluate([tensor([-1, 2])])[0].toArray(); // [0, 2]
 * getOperator("Gelu"); // GraphError: unknown operator "Gelu"; ...
 * ```
 */
export function getOperator(op: string): OperatorDefinition {
  const definition = OPERATORS.get(op);
  if (definition === undefined) {
    throw new GraphError(`unknown operator "${op}"; curv supports ${[...OPERATORS.keys()].sort().join(", ")}`);
  }
  return definition;
}
