/**
 * Walking a graph in order while tracking each value's type (and, for small
 * values fixed when the graph is built, the value itself). The builder and
 * the validator share it, so both type a node the same way.
 */
import { GraphError } from "../errors.js";
import { sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import type { Node, ValueType } from "./ir.js";
import { getOperator } from "./ops/index.js";
import { isStaticShape } from "./symbolic-dim.js";

/**
 * Values with at most this many elements computed from inputs this small and
 * known (constants, or such values) are computed while typing, so shape
 * computations (Shape, Gather, Concat feeding a Reshape) give exact shapes.
 * Bigger values are left to constant folding.
 */
export const KNOWN_VALUE_LIMIT = 1024;

const ONNX_DOMAINS = new Set(["", "ai.onnx"]);

/** How messages name a node: `node "conv1" (Conv)`, or by position when it has no name. */
export function describeNode(node: Node, index: number): string {
  return node.name ? `node "${node.name}" (${node.op})` : `node ${index} (${node.op})`;
}

/**
 * Output types of `node` from its input types, checked against its operator's
 * signature; errors name the node and its op.
 *
 * @example
 * ```ts
 * const node = { op: "MatMul", inputs: ["x", "w"], outputs: ["y"], attributes: {} };
 * inferNodeTypes(node, 0, [{ dtype: "float32", shape: ["batch", 7] }, { dtype: "float32", shape: [7, 3] }], []);
 * // [{ dtype: "float32", shape: ["batch", 3] }]
 * ```
 */
export function inferNodeTypes(
  node: Node,
  index: number,
  inputTypes: readonly (ValueType | undefined)[],
  constantInputs: readonly (Tensor | undefined)[],
): ValueType[] {
  const context = describeNode(node, index);
  if (node.domain !== undefined && !ONNX_DOMAINS.has(node.domain)) {
    throw new GraphError(`${context}: domain "${node.domain}" is not supported (only the default ONNX domain is)`);
  }
  const definition = getOperatorIn(node.op, context);
  const { min, max } = definition.outputCount;
  if (node.outputs.length < min || node.outputs.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new GraphError(`${context}: has ${node.outputs.length} outputs, ${node.op} produces ${expected}`);
  }
  return definition.inferTypes(inputTypes, node.attributes, constantInputs, context).slice(0, node.outputs.length);
}

function getOperatorIn(op: string, context: string) {
  try {
    return getOperator(op);
  } catch (error) {
    throw new GraphError(`${context}: ${(error as Error).message}`);
  }
}

/**
 * The types of the values defined so far, and the values known while typing.
 *
 * @example
 * ```ts
 * const scope = new InferenceScope();
 * scope.define("x", { dtype: "float32", shape: ["batch", 4] }, 'input "x"');
 * scope.addNode({ op: "Relu", inputs: ["x"], outputs: ["y"], attributes: {} }, 0);
 * scope.types.get("y"); // { dtype: "float32", shape: ["batch", 4] }
 * ```
 */
export class InferenceScope {
  readonly types = new Map<string, ValueType>();
  readonly knownValues = new Map<string, Tensor>();

  /** Defines a value; a GraphError names `definedBy` when the name is taken. */
  define(name: string, type: ValueType, definedBy: string, value?: Tensor): void {
    if (name === "") throw new GraphError(`${definedBy}: value names must not be empty`);
    if (this.types.has(name)) throw new GraphError(`${definedBy}: value name "${name}" is already defined`);
    this.types.set(name, { dtype: type.dtype, shape: [...type.shape] });
    if (value !== undefined) this.knownValues.set(name, value);
  }

  /**
   * Types `node` from the values defined so far and defines its outputs.
   * Throws a GraphError naming the node, its op and any input not yet defined.
   */
  addNode(node: Node, index: number): ValueType[] {
    const inputTypes = node.inputs.map((name, i) => {
      if (name === "") return undefined;
      const type = this.types.get(name);
      if (type === undefined) {
        throw new GraphError(
          `${describeNode(node, index)}: input ${i} "${name}" is not defined by a graph input, a constant or an earlier node`,
        );
      }
      return type;
    });
    const known = node.inputs.map((name) => (name === "" ? undefined : this.knownValues.get(name)));
    const outputTypes = inferNodeTypes(node, index, inputTypes, known);
    const values = this.computeIfKnown(node, index, inputTypes, known, outputTypes);
    node.outputs.forEach((name, k) => {
      if (name !== "") this.define(name, outputTypes[k], describeNode(node, index), values?.[k]);
    });
    return outputTypes;
  }

  /** The node's outputs when they follow from known values or from types alone, and are small. */
  private computeIfKnown(
    node: Node,
    index: number,
    inputTypes: readonly (ValueType | undefined)[],
    known: readonly (Tensor | undefined)[],
    outputTypes: readonly ValueType[],
  ): Tensor[] | undefined {
    const small = outputTypes.every((t) => isStaticShape(t.shape) && sizeOf(t.shape) <= KNOWN_VALUE_LIMIT);
    if (!small) return undefined;
    const definition = getOperator(node.op);
    const context = describeNode(node, index);
    const fromTypes = definition.valuesFromTypes(inputTypes, node.attributes, context);
    if (fromTypes !== undefined) return fromTypes;
    // Small inputs too: typing must stay cheap, so reducing a big constant waits for constant folding.
    const inputsKnown = node.inputs.every((name, i) => name === "" || (known[i] !== undefined && known[i]!.size <= KNOWN_VALUE_LIMIT));
    if (!inputsKnown) return undefined;
    return definition.evaluate(known, node.attributes, { outputCount: node.outputs.length, context });
  }
}
