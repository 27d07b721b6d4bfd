/**
 * What the rewriting passes of `simplify` need to know about a graph: each
 * value's producer, reader count and type, and fresh names for new values.
 */
import type { AttributeValue, Graph, Node, ValueType } from "./ir.js";
import { validateGraph } from "./validate.js";

/** The permutation a Transpose node applies to an input of rank `rank` (ONNX's default reverses the axes). */
export function permutationOf(node: Node, rank: number): number[] {
  const perm = node.attributes.perm as readonly number[] | undefined;
  return perm === undefined ? Array.from({ length: rank }, (_, i) => rank - 1 - i) : [...perm];
}

/** The permutation that swaps the last two of `rank` axes. */
export function swapLastTwo(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => (i === rank - 2 ? rank - 1 : i === rank - 1 ? rank - 2 : i));
}

export function isSwapLastTwo(perm: readonly number[]): boolean {
  const rank = perm.length;
  return rank >= 2 && swapLastTwo(rank).every((axis, i) => perm[i] === axis);
}

/** A node of the default domain. */
export function nodeOf(op: string, inputs: readonly string[], outputs: readonly string[], attributes: Record<string, AttributeValue> = {}): Node {
  return { op, inputs, outputs, attributes };
}

/** Producers, readers, types and fresh names of one (valid) graph. */
export class GraphFacts {
  readonly producers = new Map<string, Node>();
  readonly readers = new Map<string, number>();
  readonly types: ReadonlyMap<string, ValueType>;
  readonly #names = new Set<string>();
  #counter = 0;

  constructor(readonly graph: Graph) {
    this.types = validateGraph(graph);
    for (const name of this.types.keys()) this.#names.add(name);
    for (const node of graph.nodes) {
      for (const name of node.outputs) if (name !== "") this.producers.set(name, node);
      for (const name of node.inputs) if (name !== "") this.readers.set(name, (this.readers.get(name) ?? 0) + 1);
    }
    // A graph output counts as a reader: its value must stay.
    for (const { name } of graph.outputs) this.readers.set(name, (this.readers.get(name) ?? 0) + 1);
  }

  rank(name: string): number {
    return this.types.get(name)!.shape.length;
  }

  /** Whether `name` is read once, by a node (so its producer can be replaced). */
  readOnce(name: string): boolean {
    return this.readers.get(name) === 1;
  }

  /** The input of the Transpose producing `name` when that Transpose swaps its last two axes, else undefined. */
  swappedFrom(name: string): string | undefined {
    const node = this.producers.get(name);
    if (node?.op !== "Transpose") return undefined;
    return isSwapLastTwo(permutationOf(node, this.rank(name))) ? node.inputs[0] : undefined;
  }

  /** The constant named `name` (an initializer), if it is one. */
  constant(name: string) {
    return this.graph.constants.get(name);
  }

  /** A value name not used in the graph, derived from `base`. */
  fresh(base: string): string {
    let name: string;
    do name = `${base}/t${this.#counter++}`;
    while (this.#names.has(name));
    this.#names.add(name);
    return name;
  }
}
