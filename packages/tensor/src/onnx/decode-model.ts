/**
 * `.onnx` bytes to graph IR.
 */
import { OnnxError } from "../errors.js";
import type { AttributeValue, Graph, Node } from "../graph/ir.js";
import type { Tensor } from "../tensor.js";
import { attributeFromProto } from "./attributes.js";
import { checkGraphStructure, describeNode } from "./graph-structure.js";
import { int64FromWire } from "./int64.js";
import { ModelProtoType, type GraphMessage, type ModelMessage, type NodeMessage } from "./schema.js";
import { tensorFromProto } from "./tensor-proto.js";
import { FreshDimNames, namedSymbolsOf, valueInfoFromProto } from "./value-info.js";
import { assertSupportedOpset, DEFAULT_DOMAIN_NAME, isDefaultDomain, KNOWN_DOMAIN_VERSIONS } from "./versions.js";

const WHAT = "decodeOnnx";

/**
 * Decodes an ONNX model (`ModelProto` bytes, the contents of an `.onnx` file)
 * into a graph.
 *
 * - Initializers become `constants`; models that also list them as graph
 *   inputs (as exporters before IR version 4 did) have those inputs dropped.
 * - Symbolic extents (`dim_param`) stay symbolic; extents with neither value
 *   nor name get a fresh symbol of their own, `<value>_dim<axis>`.
 * - Tensors may use any in-file storage (`raw_data` or the typed fields).
 * - `Constant` nodes stay nodes, their `value` tensor decoded; node names are kept.
 *
 * Only what the graph IR can hold is accepted: float32, float64, int32, int64
 * and bool tensors, tensors stored inside the file, the default domain at an
 * opset from {@link MIN_ONNX_OPSET} to {@link MAX_ONNX_OPSET} plus the domains
 * in {@link KNOWN_DOMAIN_VERSIONS}, and attributes without subgraphs.
 *
 * @throws {OnnxError} for every problem, and only OnnxError: bytes that are
 * not a protobuf message ("could not decode ONNX model: ..."), a message
 * without a graph, an unsupported opset, data type or storage, an unknown or
 * unimported domain, a node input that nothing defines ("missing input"), or
 * a value name defined twice. Each message names the tensor, node or value.
 *
 * @example
 * ```ts
 * const graph = decodeOnnx(new Uint8Array(await readFile("mlp.onnx")));
 * graph.inputs[0].shape;               // ["batch", 7]
 * graph.constants.get("0.weight")!.shape; // [5, 7]
 * ```
 */
export function decodeOnnx(bytes: Uint8Array): Graph {
  if (!(bytes instanceof Uint8Array)) {
    throw new OnnxError(`${WHAT}: expected the model bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  }
  let model: ModelMessage;
  try {
    model = ModelProtoType.decode(bytes) as ModelMessage;
  } catch (cause) {
    throw new OnnxError(`could not decode ONNX model: ${errorText(cause)} (the bytes are truncated or not an ONNX file)`, { cause });
  }
  try {
    return graphOfModel(model);
  } catch (cause) {
    if (cause instanceof OnnxError) throw cause;
    // Corrupt bytes can still parse as a protobuf message whose contents make
    // no sense (a tensor too large to allocate, say); report those as what
    // they are rather than as an internal error.
    throw new OnnxError(`could not decode ONNX model: ${errorText(cause)}`, { cause });
  }
}

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function graphOfModel(model: ModelMessage): Graph {
  const graph = model.graph;
  if (!graph) {
    throw new OnnxError(`${WHAT}: not an ONNX model: the message has no graph (ModelProto.graph is missing; is the file an .onnx model, and complete?)`);
  }
  const imported = importedDomains(model);
  if ((graph.sparse_initializer?.length ?? 0) > 0) {
    throw new OnnxError(`${WHAT}: the graph has ${graph.sparse_initializer!.length} sparse initializer(s), which are not supported`);
  }
  const constants = constantsOf(graph);
  const listed = [...(graph.input ?? []), ...(graph.output ?? [])];
  const freshNames = new FreshDimNames(namedSymbolsOf(listed));
  const decoded: Graph = {
    name: graph.name ?? "",
    inputs: (graph.input ?? [])
      .filter((input) => !constants.has(input.name ?? ""))
      .map((input) => valueInfoFromProto(input, `${WHAT}: graph input`, freshNames)),
    outputs: (graph.output ?? []).map((output) => valueInfoFromProto(output, `${WHAT}: graph output`, freshNames)),
    nodes: (graph.node ?? []).map((node, index) => nodeOf(node, index, imported)),
    constants,
    opset: imported.get("")!,
  };
  checkGraphStructure(decoded, WHAT);
  return decoded;
}

/** Imported domains and their versions; the default domain under `""`, checked to be supported. */
function importedDomains(model: ModelMessage): Map<string, number> {
  const imported = new Map<string, number>();
  for (const entry of model.opset_import ?? []) {
    const domain = isDefaultDomain(entry.domain) ? "" : entry.domain!;
    imported.set(domain, Number(int64FromWire(entry.version ?? 0)));
  }
  const opset = imported.get("");
  if (opset === undefined) {
    throw new OnnxError(`${WHAT}: the model imports no opset for the default domain "${DEFAULT_DOMAIN_NAME}" (ModelProto.opset_import; is the file complete?)`);
  }
  assertSupportedOpset(opset, WHAT);
  return imported;
}

function constantsOf(graph: GraphMessage): Map<string, Tensor> {
  const constants = new Map<string, Tensor>();
  (graph.initializer ?? []).forEach((initializer, index) => {
    const name = initializer.name ?? "";
    if (name === "") throw new OnnxError(`${WHAT}: initializer #${index} has no name`);
    if (constants.has(name)) throw new OnnxError(`${WHAT}: duplicate value name "${name}": two initializers share it`);
    constants.set(name, tensorFromProto(initializer, `${WHAT}: initializer "${name}"`));
  });
  return constants;
}

function nodeOf(message: NodeMessage, index: number, imported: ReadonlyMap<string, number>): Node {
  const op = message.op_type ?? "";
  const name = message.name ?? "";
  const domain = isDefaultDomain(message.domain) ? "" : message.domain!;
  const where = `${WHAT}: ${describeNode({ op, name }, index)}`;
  if (domain !== "") {
    if (KNOWN_DOMAIN_VERSIONS[domain] === undefined) {
      throw new OnnxError(
        `${where} uses unknown domain "${domain}"; known domains: ${[DEFAULT_DOMAIN_NAME, ...Object.keys(KNOWN_DOMAIN_VERSIONS)].join(", ")}`,
      );
    }
    if (!imported.has(domain)) throw new OnnxError(`${where} uses domain "${domain}", which the model does not import (opset_import)`);
  }
  const attributes: Record<string, AttributeValue> = {};
  for (const attribute of message.attribute ?? []) {
    const attributeName = attribute.name ?? "";
    if (attributeName === "") throw new OnnxError(`${where}: an attribute has no name`);
    if (Object.hasOwn(attributes, attributeName)) throw new OnnxError(`${where}: attribute "${attributeName}" is given twice`);
    // defineProperty, not assignment: a file may name an attribute "__proto__".
    Object.defineProperty(attributes, attributeName, {
      value: attributeFromProto(attribute, where),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    op,
    inputs: [...(message.input ?? [])],
    outputs: [...(message.output ?? [])],
    attributes,
    ...(name ? { name } : {}),
    ...(domain ? { domain } : {}),
  };
}
