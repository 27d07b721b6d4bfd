/**
 * A model imported from ONNX: a {@link Module} whose tensors are the file's
 * float initializers and whose forward traces the graph node by node
 * through autodiff primitives.
 */
import { CurvError, DTypeError, formatShape, OnnxError, ShapeError, type FloatDType, type Graph, type Node } from "@curv/tensor";
import type { InputSpec } from "../core/program.js";
import { Value } from "../core/value.js";
import type { ForwardContext } from "../nn/forward-context.js";
import type { InitializerRole } from "./initializer-roles.js";
import type { RecognizedLayer } from "./layer-kinds.js";
import { NodeContext } from "./node-context.js";
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
  /** The type of the data input, batch axis symbolic as in the file (`["batch", 7]`). */
  readonly inputSpec: InputSpec;
  private readonly constants: ReadonlyMap<string, KnownTensor>;
  private readonly roles: ReadonlyMap<string, InitializerRole>;
  private readonly layerOfNode: ReadonlyMap<Node, RecognizedLayer>;

  constructor({ graph, floatDType, roles, layers }: OnnxModelParts) {
    super("OnnxModel");
    this.graph = graph;
    this.floatDType = floatDType;
    const [input] = graph.inputs;
    this.inputSpec = { dtype: floatDType, shape: [...input.shape] };
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
  }

  override forward(x: Value, ctx: ForwardContext): Value {
    this.checkInput(x, ctx);
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
      const outputs = this.applyNode(node, inputs, ctx);
      node.outputs.forEach((name, i) => {
        if (name !== "" && outputs[i] !== undefined) values.set(name, outputs[i]);
      });
    }
    const output = this.graph.outputs[0].name;
    return asValue(lookup(output, { op: "output", inputs: [], outputs: [], attributes: {}, name: output }), this.floatDType, `output "${output}"`);
  }

  /** Traces one node, naming it in any error, and reports recognized layers. */
  private applyNode(node: Node, inputs: (Operand | undefined)[], ctx: ForwardContext): Operand[] {
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
    const input = inputs[0];
    if (layer === undefined || !(output instanceof Value) || !(input instanceof Value)) return outputs;
    const scopeContext = layer.scope.reduce((c, segment) => c.child(segment), ctx);
    return [scopeContext.layer(this.scopeAt(layer.scope) as ParameterScope, input, output), ...outputs.slice(1)];
  }

  private checkInput(x: Value, ctx: ForwardContext): void {
    const { dtype, shape } = this.inputSpec;
    if (!(x instanceof Value)) throw new OnnxError(`${ctx.describe(this)}: expected a traced value as input, got ${String(x)}`);
    if (x.dtype !== dtype) throw new DTypeError(`${ctx.describe(this)}: the input must be ${dtype}, got ${x.dtype} (import with { dtype: "${x.dtype}" } to compute in ${x.dtype})`);
    const fits = x.rank === shape.length && shape.every((d, i) => typeof d !== "number" || d === x.shape[i]);
    if (!fits) throw new ShapeError(`${ctx.describe(this)}: the input must have shape ${formatShape(shape)}, got ${formatShape(x.shape)}`);
  }

  override toString(): string {
    return `OnnxModel(${this.graph.name || "graph"}: ${this.graph.nodes.length} nodes, ${this.numParameters} parameters)`;
  }
}
