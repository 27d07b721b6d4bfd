import { Tensor } from "../tensor.js";
import { Fnv1a64 } from "./fnv1a64.js";
import type { AttributeValue, Dim, Graph, ValueType } from "./ir.js";

/**
 * Feeds a graph's structure to the hash. Values are referred to by number in
 * order of first appearance (inputs, then constants and node outputs as the
 * nodes use them), and symbolic extents likewise, so names never enter it.
 */
class StructureHasher {
  readonly hash = new Fnv1a64();
  private readonly values = new Map<string, number>();
  private readonly symbols = new Map<string, number>();

  constructor(private readonly graph: Graph) {}

  /** A fresh number for a value defined here (a graph input or a node output). */
  defineValue(name: string): void {
    this.hash.number(this.values.size);
    this.values.set(name, this.values.size);
  }

  /** A use of a value: its number, hashing a constant's contents where it is first used. */
  useValue(name: string): void {
    if (name === "") {
      this.hash.number(-1);
      return;
    }
    const number = this.values.get(name);
    if (number !== undefined) {
      this.hash.number(number);
      return;
    }
    const constant = this.graph.constants.get(name);
    if (constant === undefined) {
      // An undefined value (an invalid graph) still hashes deterministically, by name.
      this.hash.string(`undefined:${name}`);
      return;
    }
    this.hash.string("constant");
    this.tensor(constant);
    this.defineValue(name);
  }

  type(type: ValueType): void {
    this.hash.string(type.dtype).number(type.shape.length);
    for (const dim of type.shape) this.dim(dim);
  }

  /** Numbers hash as numbers; in symbols, each name is replaced by its order of first appearance. */
  private dim(dim: Dim): void {
    if (typeof dim === "number") {
      this.hash.number(dim);
      return;
    }
    const canonical = dim.replace(/[A-Za-z_][\w.]*/g, (symbol) => {
      if (!this.symbols.has(symbol)) this.symbols.set(symbol, this.symbols.size);
      return `$${this.symbols.get(symbol)}`;
    });
    this.hash.string(canonical);
  }

  tensor(value: Tensor): void {
    this.hash.string(value.dtype).number(value.ndim);
    for (const d of value.shape) this.hash.number(d);
    this.hash.view(value.data);
  }

  attributes(attributes: Readonly<Record<string, AttributeValue>>): void {
    const names = Object.keys(attributes).sort();
    this.hash.number(names.length);
    for (const name of names) {
      this.hash.string(name);
      this.attribute(attributes[name]);
    }
  }

  private attribute(value: AttributeValue): void {
    if (value instanceof Tensor) {
      this.hash.string("tensor");
      this.tensor(value);
    } else if (typeof value === "number") {
      this.hash.string("number").number(value);
    } else if (typeof value === "string") {
      this.hash.string("string").string(value);
    } else {
      this.hash.string("list").number(value.length);
      for (const item of value) {
        if (typeof item === "number") this.hash.number(item);
        else this.hash.string(item);
      }
    }
  }
}

/**
 * A structural hash of a graph (16 hex digits of 64-bit FNV-1a): equal for
 * graphs that differ only in names (of values, nodes, the graph, symbolic
 * extents), different for any change of structure: the opset, input and
 * output types, node order, ops, domains, attributes, wiring, or the contents
 * of a used constant. Runtimes key compiled programs on it, so a cached
 * program may have been compiled from a graph with other value names: map
 * inputs and outputs by position, not by name.
 *
 * It reads every node and every used constant once (linear time) and runs in
 * browsers (no node:crypto).
 *
 * @example
 * ```ts
 * hashGraph(graph) === hashGraph(renamed(graph)); // true
 * ```
 */
export function hashGraph(graph: Graph): string {
  const hasher = new StructureHasher(graph);
  const { hash } = hasher;
  hash.string("opset").number(graph.opset);
  hash.string("inputs").number(graph.inputs.length);
  for (const input of graph.inputs) {
    hasher.defineValue(input.name);
    hasher.type(input);
  }
  hash.string("nodes").number(graph.nodes.length);
  for (const node of graph.nodes) {
    // "" and "ai.onnx" both name the default domain.
    hash.string(node.op).string(node.domain === "ai.onnx" ? "" : (node.domain ?? ""));
    hash.number(node.inputs.length);
    for (const input of node.inputs) hasher.useValue(input);
    hasher.attributes(node.attributes);
    hash.number(node.outputs.length);
    for (const output of node.outputs) {
      if (output === "") hash.number(-1);
      else hasher.defineValue(output);
    }
  }
  hash.string("outputs").number(graph.outputs.length);
  for (const output of graph.outputs) {
    hasher.useValue(output.name);
    hasher.type(output);
  }
  return hash.digest();
}
