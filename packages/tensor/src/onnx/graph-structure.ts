/**
 * The structural checks the codec makes on every graph it writes or reads:
 * each value is defined once, before it is used. They need no operator
 * registry, so the codec stays independent of it; operator-level checks
 * (attributes, shapes) belong to `validateGraph`.
 */
import { OnnxError } from "../errors.js";
import type { Graph, Node } from "../graph/ir.js";

/** How a node is named in messages: its name if it has one, else its position. */
export function describeNode(node: Pick<Node, "op" | "name">, index: number): string {
  return node.name ? `node "${node.name}" (op ${node.op})` : `node #${index} (op ${node.op})`;
}

/**
 * Throws an {@link OnnxError} (prefixed by `what`) when a value name is
 * defined twice, a node reads a value that no graph input, constant or
 * earlier node output defines ("missing input"), a graph output is never
 * defined, or a node has no operator. An empty input or output name marks an
 * omitted optional value, as in ONNX, and is neither defined nor checked.
 */
export function checkGraphStructure(graph: Graph, what: string): void {
  const definedBy = new Map<string, string>();
  const define = (name: string, origin: string): void => {
    if (name === "") throw new OnnxError(`${what}: ${origin} has an empty name`);
    const earlier = definedBy.get(name);
    if (earlier !== undefined) throw new OnnxError(`${what}: duplicate value name "${name}": defined by ${earlier} and by ${origin}`);
    definedBy.set(name, origin);
  };
  for (const input of graph.inputs) define(input.name, "a graph input");
  for (const name of graph.constants.keys()) define(name, "a constant (initializer)");
  graph.nodes.forEach((node, index) => {
    const label = describeNode(node, index);
    if (!node.op) throw new OnnxError(`${what}: node #${index} has no operator (op_type is empty)`);
    for (const input of node.inputs) {
      if (input !== "" && !definedBy.has(input)) {
        throw new OnnxError(
          `${what}: missing input: ${label} reads "${input}", which no graph input, constant or earlier node output defines`,
        );
      }
    }
    for (const output of node.outputs) if (output !== "") define(output, `an output of ${label}`);
  });
  for (const output of graph.outputs) {
    if (!definedBy.has(output.name)) {
      throw new OnnxError(`${what}: graph output "${output.name}" is not defined by any graph input, constant or node output`);
    }
  }
}
