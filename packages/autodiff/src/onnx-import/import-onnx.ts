/**
 * `.onnx` bytes to a model usable wherever an nn model is.
 */
import { decodeOnnx, isFloat, OnnxError, type FloatDType, type Graph } from "@curv/tensor";
import { initializerRoles } from "./initializer-roles.js";
import { recognizeLayers } from "./layer-kinds.js";
import { nodeName } from "./node-context.js";
import { OnnxModel } from "./onnx-model.js";
import { ONNX_OPERATORS, SUPPORTED_ONNX_OPERATORS } from "./operator-table.js";
import { UnsupportedOnnxOperatorError } from "./unsupported-operator-error.js";

/** Options of {@link importOnnx}. */
export interface ImportOnnxOptions {
  /**
   * The float dtype to compute in. `"float64"` converts the float
   * initializers (and float constants and casts) for float64 work, such as
   * reproducing reference values to 1e-10; default: the input's dtype in
   * the file.
   */
  readonly dtype?: FloatDType;
  /** Float initializers to keep as constants rather than parameters (frozen weights). */
  readonly constants?: readonly string[];
  /**
   * Float initializers to hold as buffers (state, not trained). BatchNormalization's
   * running statistics are recognized without this; a graph from {@link toOnnx}
   * computes BatchNorm with plain operators, so pass the model's buffer names
   * (`model.namedBuffers().map(([name]) => name)`) to get them back as buffers.
   */
  readonly buffers?: readonly string[];
}

/**
 * Imports an ONNX model (the bytes of an `.onnx` file, or a decoded graph)
 * as an nn module (see {@link OnnxModel}):
 *
 * - float initializers become named parameters, named as in the file
 *   (`0.weight`, the names `torch.onnx.export` writes), listed in file order
 *   grouped by their dotted prefix (PyTorch writes them grouped already);
 *   BatchNormalization's running mean and variance (and those named in
 *   `options.buffers`) become buffers;
 *   integer initializers, initializers used only as operator arguments
 *   (an exponent, a shape) and those in `options.constants` stay constants;
 * - the batch axis stays symbolic (`["batch", 7]`), and shape arithmetic
 *   (Shape → Gather → Unsqueeze → Concat → Reshape) is evaluated while
 *   tracing on the static extents and the batch symbol;
 * - each node maps to autodiff primitives and composites; the supported
 *   operators are listed in {@link SUPPORTED_ONNX_OPERATORS}.
 *
 * The model must have one data input and one output.
 *
 * @throws {UnsupportedOnnxOperatorError} (an {@link OnnxError}) naming the
 * operator and the node, for an operator or a domain importOnnx cannot map.
 * @throws {OnnxError} for bytes that are not an ONNX model, or a graph with
 * other than one input and one output.
 *
 * @example
 * ```ts
 * const model = importOnnx(new Uint8Array(await readFile("mlp-mse.onnx")), { dtype: "float64" });
 * model.namedParameters().map(([name, p]) => `${name} ${p.shape}`);
 * // ["0.weight 5,7", "0.bias 5", "2.weight 5,5", "2.bias 5", "4.weight 3,5", "4.bias 3"]
 * const traced = traceModel(model, model.inputSpec);
 * ```
 */
export function importOnnx(model: Uint8Array | Graph, options: ImportOnnxOptions = {}): OnnxModel {
  const graph = model instanceof Uint8Array ? decodeOnnx(model) : model;
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    const names = (values: readonly { name: string }[]) => values.map((v) => `"${v.name}"`).join(", ") || "none";
    throw new OnnxError(
      `importOnnx: the model must have one data input and one output, got inputs ${names(graph.inputs)} and outputs ${names(graph.outputs)}`,
    );
  }
  for (const node of graph.nodes) {
    if ((node.domain ?? "") !== "" && node.domain !== "ai.onnx") {
      throw new UnsupportedOnnxOperatorError(node.op, nodeName(node), `importOnnx: ${node.op} node "${nodeName(node)}" is in the domain "${node.domain}"; only the default ONNX domain is supported`);
    }
    if (!ONNX_OPERATORS.has(node.op)) {
      throw new UnsupportedOnnxOperatorError(
        node.op,
        nodeName(node),
        `importOnnx: the ONNX operator "${node.op}" (node "${nodeName(node)}") is not supported; supported operators: ${SUPPORTED_ONNX_OPERATORS.join(", ")}`,
      );
    }
  }
  const inputDType = graph.inputs[0].dtype;
  const floatDType = options.dtype ?? (isFloat(inputDType) ? inputDType : "float32");
  if (!isFloat(floatDType)) throw new OnnxError(`importOnnx: dtype must be "float32" or "float64", got ${JSON.stringify(options.dtype)}`);
  const roles = initializerRoles(graph, new Set(options.constants ?? []), new Set(options.buffers ?? []));
  return new OnnxModel({ graph, floatDType, roles, layers: recognizeLayers(graph, roles) });
}
