/**
 * A model imported from ONNX: a {@link Module} whose tensors are the file's
 * float initializers and whose forward traces the graph node by node
 * through autodiff primitives.
 */
import { CurvError, DTypeError, formatShape, isFloat, OnnxError, ShapeError, ValueError, type Dim, type FloatDType, type Graph, type Node, type Tensor } from "@curv/tensor";
import type { InputSpec } from "../core/program.js";
import { input } from "../core/leaves.js";
import { Value } from "../core/value.js";
import { ModelInputs } from "../nn/model-inputs.js";
import { cast } from "../primitives/cast.js";
import { ForwardContext } from "../nn/forward-context.js";
import type { InitializerRole } from "./initializer-roles.js";
import type { RecognizedLayer } from "./layer-kinds.js";
import { NodeContext, nodeName } from "./node-context.js";
import { asValue, knownOf, type KnownTensor, type Operand } from "./operand.js";
import { ONNX_OPERATORS } from "./operator-table.js";
import { ParameterScope } from "./parameter-scope.js";

/** What {@link OnnxModel} is built from; made by `importOnnx`. */
export interface OnnxModelParts {
  readonly graph: Graph;
  readonly floatDType: FloatDType;
  readonly roles: ReadonlyMap<string, InitializerRole>;
  readonly layers: readonly RecognizedLayer[];
}

/**
 * An ONNX model as an nn module: `namedParameters()` are the float
 * initializers under their names in the file (`0.weight`, `0.bias`, ...),
 * BatchNorm running statistics are buffers, and `forward` traces the graph
 * with every parameter read through the forward context, so the model works
 * wherever an nn model does (traceModel, gradients, curvature operators).
 * Layers PyTorch exports recognizably (Gemm with `transB = 1` as `Linear`,
 * Conv as `Conv2d`) are reported as layers for layer-wise approximations.
 *
 * @example
 * ```ts
 * const model = importOnnx(new Uint8Array(await readFile("mlp-mse.onnx")), { dtype: "float64" });
 * model.inputSpec;                                   // { dtype: "float64", shape: ["batch", 7] }
 * const traced = traceModel(model, model.inputSpec);
 * ```
 */
export class OnnxModel extends ParameterScope {
  /** The decoded graph (its initializers as in the file). */
  readonly graph: Graph;
  /** The float dtype the model computes in (its parameters' dtype). */
  readonly floatDType: FloatDType;
  /**
   * The type of the data input, batch axis symbolic as in the file
   * (`["batch", 7]`): the float dtype for a float input, the file's integer
   * dtype for an integer one (token ids), which stays data (no derivative).
   */
  readonly inputSpec: InputSpec;
  private readonly constants: ReadonlyMap<string, KnownTensor>;
  private readonly roles: ReadonlyMap<string, InitializerRole>;
  private layerOfNode: ReadonlyMap<Node, RecognizedLayer>;
  private readonly idTables: readonly { table: string; rows: number }[];
  /** The batch extent of the data being traced (layers are recorded only where their rows are the examples). */
  private batchExtent: Dim | undefined;

  constructor({ graph, floatDType, roles, layers }: OnnxModelParts) {
    super("OnnxModel");
    this.graph = graph;
    this.floatDType = floatDType;
    const [input] = graph.inputs;
    this.inputSpec = { dtype: isFloat(input.dtype) ? floatDType : input.dtype, shape: [...input.shape] };
    this.roles = roles;
    const constants = new Map<string, KnownTensor>();
    for (const [name, tensor] of graph.constants) {
      const role = roles.get(name) ?? "constant";
      if (role === "constant") constants.set(name, knownOf(tensor));
      else this.place(name.split("."), tensor.dtype === floatDType ? tensor : tensor.astype(floatDType), role, name);
    }
    this.constants = constants;
    for (const layer of layers) {
      const scope = this.scopeAt(layer.scope);
      if (scope !== undefined) scope.kind = layer.kind;
    }
    this.layerOfNode = new Map(layers.map((l) => [l.node, l]));
    this.idTables = idTablesOf(graph);
    this.keepLayersOnExamples(layers);
  }

  /**
   * Traces the forward once and leaves generic the recognized layers whose
   * rows are not the examples (PyTorch's attention applies `out_proj` to the
   * `[T * batch, E]` reshape): layer-wise approximations would count their
   * rows as examples. KFAC then refuses their parameters by name.
   */
  private keepLayersOnExamples(layers: readonly RecognizedLayer[]): void {
    if (layers.length === 0) return;
    const x = input("x", this.inputSpec.dtype, this.inputSpec.shape);
    const ctx = new ForwardContext(ModelInputs.of(this));
    try {
      this.forward(x, ctx);
    } catch {
      // A graph that cannot be traced says so, naming the node, when it is used; importing it is not the place.
      return;
    }
    const recorded = new Set(ctx.layers.map((record) => record.name));
    for (const layer of layers) {
      const name = layer.scope.join(".");
      if (recorded.has(name)) continue;
      const scope = this.scopeAt(layer.scope);
      if (scope !== undefined) scope.kind = "OnnxParameters";
      this.layerOfNode = new Map([...this.layerOfNode].filter(([, l]) => l !== layer));
    }
  }

  override forward(data: Value, ctx: ForwardContext): Value {
    this.checkInput(data, ctx);
    this.batchExtent = data.shape[0];
    // Token ids may come as int32 (a NumPy default on some platforms) for an int64 input: same ids.
    const x = data.dtype === this.inputSpec.dtype ? data : cast(data, this.inputSpec.dtype);
    const values = new Map<string, Operand>([[this.graph.inputs[0].name, x]]);
    const lookup = (name: string, node: Node): Operand => {
      const found = values.get(name) ?? this.constants.get(name);
      if (found !== undefined) return found;
      const role = this.roles.get(name);
      if (role === "parameter") return ctx.parameter(name);
      if (role === "buffer") return ctx.buffer(name);
      throw new OnnxError(`${node.op} node "${node.name ?? ""}": input "${name}" is not defined before it`);
    };
    for (const node of this.graph.nodes) {
      const inputs = node.inputs.map((name) => (name === "" ? undefined : lookup(name, node)));
      const outputs = this.applyNode(node, inputs, ctx, (name) => values.get(name));
      node.outputs.forEach((name, i) => {
        if (name !== "" && outputs[i] !== undefined) values.set(name, outputs[i]);
      });
    }
    const output = this.graph.outputs[0].name;
    return asValue(lookup(output, { op: "output", inputs: [], outputs: [], attributes: {}, name: output }), this.floatDType, `output "${output}"`);
  }

  /** Traces one node, naming it in any error, and reports recognized layers. */
  private applyNode(node: Node, inputs: (Operand | undefined)[], ctx: ForwardContext, valueOf: (name: string) => Operand | undefined): Operand[] {
    const context = new NodeContext(node, this.floatDType, this.graph.opset);
    const mapping = ONNX_OPERATORS.get(node.op) as NonNullable<ReturnType<typeof ONNX_OPERATORS.get>>;
    let outputs: Operand[];
    try {
      outputs = mapping(inputs, context);
    } catch (cause) {
      if (cause instanceof OnnxError || !(cause instanceof CurvError)) throw cause;
      throw new OnnxError(`${context.description}: ${cause.message}`, { cause });
    }
    const layer = this.layerOfNode.get(node);
    const [output] = outputs;
    // A layer written as several nodes (MatMul + Add) ends at this node; its data input is an earlier node's.
    const input = layer === undefined ? undefined : valueOf(layer.input);
    if (layer === undefined || !(output instanceof Value) || !(input instanceof Value)) return outputs;
    // A layer applied to rows that are not the examples (PyTorch's attention applies out_proj to the
    // [T * batch, E] reshape) would give layer-wise approximations the wrong example count: leave it generic.
    if (input.shape[0] !== this.batchExtent) return outputs;
    const scopeContext = layer.scope.reduce((c, segment) => c.child(segment), ctx);
    return [scopeContext.layer(this.scopeAt(layer.scope) as ParameterScope, input, output), ...outputs.slice(1)];
  }

  private checkInput(x: Value, ctx: ForwardContext): void {
    const { dtype, shape } = this.inputSpec;
    if (!(x instanceof Value)) throw new OnnxError(`${ctx.describe(this)}: expected a traced value as input, got ${String(x)}`);
    if (!isFloat(dtype) && isFloat(x.dtype)) {
      const name = this.graph.inputs[0].name;
      throw new DTypeError(`${ctx.describe(this)}: the input "${name}" holds integer ids (${dtype}), got ${x.dtype} data`);
    }
    if (x.dtype !== dtype && isFloat(dtype)) throw new DTypeError(`${ctx.describe(this)}: the input must be ${dtype}, got ${x.dtype} (import with { dtype: "${x.dtype}" } to compute in ${x.dtype})`);
    const fits = x.rank === shape.length && shape.every((d, i) => typeof d !== "number" || d === x.shape[i]);
    const length = shape[shape.length - 1];
    if (!fits && !isFloat(dtype) && x.rank === shape.length && typeof length === "number" && x.shape[x.rank - 1] !== length) {
      throw new ShapeError(
        `${ctx.describe(this)}: the input "${this.graph.inputs[0].name}" takes sequences of ${length} token ids (the model's positions), ` +
          `got ${x.shape[x.rank - 1]} (shape ${formatShape(x.shape)}); cut longer sequences into windows of ${length}`,
      );
    }
    if (!fits) throw new ShapeError(`${ctx.describe(this)}: the input must have shape ${formatShape(shape)}, got ${formatShape(x.shape)}`);
  }

  /**
   * Checks integer data (token ids) against the tables the graph gathers
   * rows from with them (`Gather(embed.weight, tokens)`, through Casts):
   * an id outside `[0, rows)` throws a ValueError naming the input, the
   * largest (or smallest) id and the table; float data for an integer input
   * throws a DTypeError.
   */
  override checkData(data: Tensor, name = "X"): void {
    const input = this.graph.inputs[0].name;
    if (isFloat(this.inputSpec.dtype)) return;
    if (isFloat(data.dtype)) throw new DTypeError(`${name}: the model's input "${input}" holds integer ids (${this.inputSpec.dtype}), got ${data.dtype} data`);
    if (this.idTables.length === 0 || data.size === 0) return;
    const values = Array.from(data.data as ArrayLike<number | bigint>, Number);
    const largest = values.reduce((m, v) => Math.max(m, v), -Infinity);
    const smallest = values.reduce((m, v) => Math.min(m, v), Infinity);
    for (const { table, rows } of this.idTables) {
      if (largest >= rows) {
        throw new ValueError(`${name}: the input "${input}" has token id ${largest}, out of range for ${table} (ids 0 to ${rows - 1}); the largest id is ${largest}`);
      }
      if (smallest < 0) throw new ValueError(`${name}: the input "${input}" has the negative token id ${smallest}; ${table} takes ids 0 to ${rows - 1}`);
    }
  }

  override toString(): string {
    return `OnnxModel(${this.graph.name || "graph"}: ${this.graph.nodes.length} nodes, ${this.numParameters} parameters)`;
  }
}

/** The initializers the graph gathers rows from with its data input (directly or through Casts): the token tables. */
function idTablesOf(graph: Graph): { table: string; rows: number }[] {
  const ids = new Set([graph.inputs[0].name]);
  const constantValues = new Map<string, Tensor>();
  const tables: { table: string; rows: number }[] = [];
  for (const node of graph.nodes) {
    if (node.op === "Cast" && ids.has(node.inputs[0])) node.outputs.forEach((o) => ids.add(o));
    const table = graph.constants.get(node.inputs[0]);
    if (node.op === "Gather" && ids.has(node.inputs[1]) && table !== undefined && table.shape.length >= 1) {
      tables.push({ table: `"${node.inputs[0]}" with ${table.shape[0]} rows`, rows: table.shape[0] });
    }
    // toOnnx writes an embedding lookup as OneHot(ids, depth) @ table.
    const depth = graph.constants.get(node.inputs[1] ?? "") ?? constantValues.get(node.inputs[1] ?? "");
    if (node.op === "OneHot" && ids.has(node.inputs[0]) && depth !== undefined && depth.size === 1) {
      const rows = Number(depth.data[0]);
      tables.push({ table: `OneHot node "${nodeName(node)}" of depth ${rows}`, rows });
    }
    if (node.op === "Constant" && node.attributes.value !== undefined) constantValues.set(node.outputs[0], node.attributes.value as Tensor);
  }
  return tables;
}
