import type { DType } from "../dtype.js";
import { GraphError } from "../errors.js";
import { Tensor } from "../tensor.js";
import { InferenceScope } from "./inference-scope.js";
import { DEFAULT_OPSET, type AttributeValue, type Dim, type Graph, type Node, type ValueInfo } from "./ir.js";
import { checkOpset } from "./opset.js";
import { checkValueType } from "./value-type.js";

/** Options of {@link GraphBuilder}. */
export interface GraphBuilderOptions {
  /** The opset the graph targets; defaults to {@link DEFAULT_OPSET}. */
  readonly opset?: number;
}

/** Options of {@link GraphBuilder.op}. */
export interface OpOptions {
  /**
   * How many outputs to take (MaxPool's indices, Dropout's mask). When given,
   * `op` returns an array of handles; when left out, the single output.
   */
  readonly outputs?: number;
  /** The node's name; defaults to a fresh `<Op>_<n>`. */
  readonly name?: string;
}

/**
 * Builds a {@link Graph} one node at a time. Every value is a typed handle
 * (`{ name, dtype, shape }`) whose type the operator registry infers when the
 * node is added, so a wrong dtype, shape or attribute fails at that `op` call
 * with an error naming the node and its op. Names of intermediate values are
 * fresh and unique.
 *
 * @example
 * ```ts
 * const b = new GraphBuilder("linear");
 * const x = b.input("x", "float32", ["batch", 7]);
 * const w = b.constant("w", ones([7, 3]));
 * const y = b.op("Relu", [b.op("MatMul", [x, w])]);
 * b.output(y, "y");
 * const graph = b.build();   // y: float32 ["batch", 3]
 * ```
 */
export class GraphBuilder {
  readonly name: string;
  readonly opset: number;
  private readonly scope = new InferenceScope();
  private readonly inputs: ValueInfo[] = [];
  private readonly constants = new Map<string, Tensor>();
  private readonly nodes: Node[] = [];
  private readonly outputs: { value: string; name: string }[] = [];
  private readonly counters = new Map<string, number>();

  constructor(name: string, { opset = DEFAULT_OPSET }: GraphBuilderOptions = {}) {
    checkOpset(opset, `graph "${name}"`);
    this.name = name;
    this.opset = opset;
  }

  /** Declares a graph input; string extents are symbolic (bound when the graph runs). */
  input(name: string, dtype: DType, shape: readonly Dim[]): ValueInfo {
    const what = `input "${name}"`;
    checkValueType({ dtype, shape }, what);
    this.scope.define(name, { dtype, shape }, what);
    const info: ValueInfo = { name, dtype, shape: [...shape] };
    this.inputs.push(info);
    return info;
  }

  /** Adds a named constant (an ONNX initializer). Parameters and data belong in inputs instead. */
  constant(name: string, value: Tensor): ValueInfo {
    if (!(value instanceof Tensor)) throw new GraphError(`constant "${name}": expected a Tensor, got ${Object.prototype.toString.call(value)}`);
    this.scope.define(name, value, `constant "${name}"`, value);
    this.constants.set(name, value);
    return { name, dtype: value.dtype, shape: [...value.shape] };
  }

  /**
   * Adds a node applying `op` to `inputs` (`undefined` leaves out an optional
   * input) and returns its output, or its outputs when `options.outputs` is given.
   */
  op(
    op: string,
    inputs: readonly (ValueInfo | undefined)[],
    attributes?: Record<string, AttributeValue>,
    options?: { readonly name?: string; readonly outputs?: undefined },
  ): ValueInfo;
  op(
    op: string,
    inputs: readonly (ValueInfo | undefined)[],
    attributes: Record<string, AttributeValue>,
    options: OpOptions & { readonly outputs: number },
  ): ValueInfo[];
  op(op: string, inputs: readonly (ValueInfo | undefined)[], attributes: Record<string, AttributeValue> = {}, options: OpOptions = {}): ValueInfo | ValueInfo[] {
    const count = options.outputs ?? 1;
    const id = this.nextId(op);
    const nodeName = options.name ?? `${op}_${id}`;
    inputs.forEach((input, i) => input && this.checkHandle(input, `node "${nodeName}" (${op}): input ${i}`));
    const stem = `${op.toLowerCase()}_${id}`;
    const outputNames = Array.from({ length: count }, (_, k) => this.freshName(count === 1 ? stem : `${stem}_${k}`));
    const node: Node = { op, inputs: inputs.map((i) => i?.name ?? ""), outputs: outputNames, attributes: { ...attributes }, name: nodeName };
    const types = this.scope.addNode(node, this.nodes.length);
    this.nodes.push(node);
    const handles = outputNames.map((name, k) => ({ name, dtype: types[k].dtype, shape: [...types[k].shape] }));
    return options.outputs === undefined ? handles[0] : handles;
  }

  /** Marks `value` as a graph output named `name` (its own name by default). */
  output(value: ValueInfo, name: string = value.name): void {
    this.checkHandle(value, `output "${name}"`);
    if (this.outputs.some((o) => o.name === name)) throw new GraphError(`output "${name}" is already declared`);
    if (name !== value.name) {
      // Reserve the new name now, so no later input, constant or node takes it.
      this.scope.define(name, this.scope.types.get(value.name)!, `output "${name}"`);
    }
    this.outputs.push({ value: value.name, name });
  }

  /**
   * The graph built so far. An output declared under a new name renames the
   * node output it comes from; where that is impossible (a graph input or
   * constant, or a value output twice) an Identity node gives the new name.
   */
  build(): Graph {
    const producedByNode = new Set(this.nodes.flatMap((n) => n.outputs));
    const renames = new Map<string, string>();
    const identities: Node[] = [];
    for (const { value, name } of this.outputs) {
      if (value === name) continue;
      if (producedByNode.has(value) && !renames.has(value) && !this.outputs.some((o) => o.name === value)) {
        renames.set(value, name);
      } else {
        identities.push({ op: "Identity", inputs: [renames.get(value) ?? value], outputs: [name], attributes: {}, name: `Identity_${name}` });
      }
    }
    const rename = (n: string) => renames.get(n) ?? n;
    const nodes = this.nodes.map((n) => ({ ...n, inputs: n.inputs.map(rename), outputs: n.outputs.map(rename) }));
    return {
      name: this.name,
      inputs: this.inputs.map((i) => ({ ...i, shape: [...i.shape] })),
      outputs: this.outputs.map(({ value, name }) => ({ name, ...this.scope.types.get(value)! })),
      nodes: [...nodes, ...identities],
      constants: new Map(this.constants),
      opset: this.opset,
    };
  }

  /** Throws unless `handle` is a value of this builder with the type it was given. */
  private checkHandle(handle: ValueInfo, what: string): void {
    const type = this.scope.types.get(handle.name);
    if (type === undefined || type.dtype !== handle.dtype || type.shape.length !== handle.shape.length) {
      throw new GraphError(`${what}: "${handle.name}" is not a value of graph "${this.name}"`);
    }
  }

  private nextId(op: string): number {
    const id = this.counters.get(op) ?? 0;
    this.counters.set(op, id + 1);
    return id;
  }

  /** `stem`, or `stem_2`, `stem_3`, ... when a value (say, a user's input) already has that name. */
  private freshName(stem: string): string {
    let name = stem;
    for (let k = 2; this.scope.types.has(name); k++) name = `${stem}_${k}`;
    return name;
  }
}
