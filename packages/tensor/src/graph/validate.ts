import { GraphError } from "../errors.js";
import { InferenceScope } from "./inference-scope.js";
import type { Graph, ValueType } from "./ir.js";
import { checkOpset } from "./opset.js";
import { dimsAgree } from "./symbolic-dim.js";
import { checkValueType, formatValueType } from "./value-type.js";

function agrees(declared: ValueType, inferred: ValueType): boolean {
  return (
    declared.dtype === inferred.dtype &&
    declared.shape.length === inferred.shape.length &&
    declared.shape.every((d, i) => dimsAgree(d, inferred.shape[i]))
  );
}

/**
 * Checks that a graph is well formed and returns the inferred type of every
 * value (graph inputs, constants and node outputs) by name.
 *
 * It checks, in order: the opset; that every value name is defined once;
 * that every node input is a graph input, a constant or an output of an
 * earlier node; that every node's operator is known, with a valid number and
 * dtype of inputs, valid attributes and shapes that fit; and that every graph
 * output exists with the declared type (extents agree when equal or when
 * either is unknown). The first problem is thrown as a GraphError (a
 * DTypeError or ShapeError for type problems) naming the node, its op and the
 * offending input or attribute.
 *
 * @example
 * ```ts
 * const types = validateGraph(graph);
 * types.get("logits"); // { dtype: "float32", shape: ["batch", 10] }
 * ```
 */
export function validateGraph(graph: Graph): Map<string, ValueType> {
  const what = `graph "${graph.name}"`;
  checkOpset(graph.opset, what);
  const scope = new InferenceScope();
  for (const input of graph.inputs) {
    checkValueType(input, `${what}: input "${input.name}"`);
    scope.define(input.name, input, `${what}: input "${input.name}"`);
  }
  for (const [name, value] of graph.constants) scope.define(name, value, `${what}: constant "${name}"`, value);
  graph.nodes.forEach((node, index) => scope.addNode(node, index));
  const outputNames = new Set<string>();
  for (const output of graph.outputs) {
    const label = `${what}: output "${output.name}"`;
    if (outputNames.has(output.name)) throw new GraphError(`${label} is declared twice`);
    outputNames.add(output.name);
    const inferred = scope.types.get(output.name);
    if (inferred === undefined) throw new GraphError(`${label} is not a graph input, a constant or a node output`);
    if (!agrees(output, inferred)) {
      throw new GraphError(`${label} is declared ${formatValueType(output)} but inferred ${formatValueType(inferred)}`);
    }
  }
  return scope.types;
}
