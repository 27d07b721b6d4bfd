/**
 * The writing side of a lowering: appends nodes and constants to a graph
 * being rewritten, under fresh names that cannot clash with the user's.
 */
import type { AttributeValue, Graph, Node, ValueType } from "../../graph/ir.js";
import { tensor, type Tensor } from "../../tensor.js";

export class NodeEmitter {
  readonly nodes: Node[] = [];
  readonly constants: Map<string, Tensor>;
  readonly #taken: Set<string>;
  readonly #types: ReadonlyMap<string, ValueType>;
  #counter = 0;
  /** The prefix of fresh names, set per lowered node (`conv1/lowered`). */
  prefix = "lowered";

  constructor(graph: Graph, types: ReadonlyMap<string, ValueType>) {
    this.constants = new Map(graph.constants);
    this.#types = types;
    this.#taken = new Set([...graph.inputs.map((i) => i.name), ...graph.constants.keys(), ...graph.nodes.flatMap((n) => n.outputs)]);
  }

  /** The inferred type of a value of the original graph. */
  typeOf(name: string): ValueType {
    const type = this.#types.get(name);
    if (type === undefined) throw new Error(`lowering: no inferred type for value "${name}"`);
    return type;
  }

  /** A name used nowhere in the graph yet. */
  fresh(hint: string): string {
    let name: string;
    do name = `${this.prefix}/${hint}_${this.#counter++}`;
    while (this.#taken.has(name));
    this.#taken.add(name);
    return name;
  }

  /** Adds a constant and returns its name. */
  constant(hint: string, value: Tensor): string {
    const name = this.fresh(hint);
    this.constants.set(name, value);
    return name;
  }

  /** An int64 vector constant (shapes, pads, axes, indices). */
  int64(hint: string, values: readonly number[], shape: readonly number[] = [values.length]): string {
    return this.constant(hint, tensor(values, { dtype: "int64", shape }));
  }

  /** Appends a node with one output (named `output`, or fresh) and returns the output's name. */
  emit(op: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, output?: string): string {
    const name = output ?? this.fresh(op);
    this.nodes.push({ op, inputs, outputs: [name], attributes, name: this.fresh(`${op}_node`) });
    return name;
  }
}

/**
 * A rewrite of one node: emits nodes that define the node's outputs (under
 * the same names) from its inputs. `context` names the node for errors.
 */
export type Lowering = (node: Node, emitter: NodeEmitter, context: string) => void;
