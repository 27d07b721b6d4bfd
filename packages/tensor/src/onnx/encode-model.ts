/**
 * Graph IR to `.onnx` bytes.
 */
import { OnnxError } from "../errors.js";
import type { Graph, Node, ValueInfo } from "../graph/ir.js";
import { attributeToProto } from "./attributes.js";
import { checkGraphStructure, describeNode } from "./graph-structure.js";
import { int64Bits } from "./int64.js";
import { ModelProtoType, type ModelMessage, type NodeMessage, type OperatorSetIdMessage } from "./schema.js";
import { tensorToProto } from "./tensor-proto.js";
import { valueInfoToProto } from "./value-info.js";
import {
  assertSupportedOpset,
  DEFAULT_DOMAIN_NAME,
  irVersionForOpset,
  isDefaultDomain,
  KNOWN_DOMAIN_VERSIONS,
  MAX_IR_VERSION,
} from "./versions.js";

/** Options of {@link encodeOnnx}. */
export interface EncodeOnnxOptions {
  /** `ModelProto.producer_name`; default `"curv"`. */
  producerName?: string;
  /**
   * `ModelProto.ir_version`; default: the IR version of the ONNX release that
   * introduced `graph.opset` (8 for opsets 15-18, 9 for 19-20, 10 for 21-22, ...).
   */
  irVersion?: number;
  /**
   * Types of intermediate values, written as `graph.value_info`. ONNX
   * Runtime's own shape inference loses symbolic extents behind data-dependent
   * shapes (`Expand` to `Shape(x)`), and its memory planner then compares
   * unknown shapes pairwise, which made session creation quadratic in graph
   * depth; curv's inferred types (symbols kept) avoid that. Default: none.
   */
  valueInfo?: readonly ValueInfo[];
}

/**
 * Encodes a graph as an ONNX model (`ModelProto` bytes) that ONNX Runtime can
 * load.
 *
 * The model imports the default domain at `graph.opset` and every other domain
 * its nodes use (at the versions in {@link KNOWN_DOMAIN_VERSIONS}). Graph
 * inputs and outputs become `ValueInfoProto`s (symbolic extents as
 * `dim_param`), constants become initializers with little-endian `raw_data`,
 * and attributes are typed by the rule described in `attributes.ts` (e.g.
 * `alpha: 1` is FLOAT, `axis: 1` is INT).
 *
 * Encoding is deterministic: the same graph gives the same bytes, so bytes can
 * be cached. Initializers keep the order of `graph.constants`; attributes are
 * written sorted by name.
 *
 * @throws {OnnxError} when the opset or an option is unsupported, a node uses
 * an unknown domain, an attribute has no ONNX type, or the graph is malformed
 * (a duplicate value name, a missing input, an undefined output).
 *
 * @example
 * ```ts
 * const graph: Graph = {
 *   name: "relu",
 *   inputs: [{ name: "x", dtype: "float32", shape: ["batch", 3] }],
 *   outputs: [{ name: "y", dtype: "float32", shape: ["batch", 3] }],
 *   nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"], attributes: {} }],
 *   constants: new Map(),
 *   opset: DEFAULT_OPSET,
 * };
 * const bytes = encodeOnnx(graph);
 * const session = await ort.InferenceSession.create(bytes);
 * ```
 */
export function encodeOnnx(graph: Graph, { producerName = "curv", irVersion, valueInfo = [] }: EncodeOnnxOptions = {}): Uint8Array {
  const what = `encodeOnnx(graph "${graph.name}")`;
  assertSupportedOpset(graph.opset, what);
  if (irVersion !== undefined && (!Number.isInteger(irVersion) || irVersion < 3 || irVersion > MAX_IR_VERSION)) {
    throw new OnnxError(`${what}: irVersion must be an integer from 3 to ${MAX_IR_VERSION}, got ${irVersion}`);
  }
  checkGraphStructure(graph, what);
  const model: ModelMessage = {
    ir_version: int64Bits(BigInt(irVersion ?? irVersionForOpset(graph.opset))),
    producer_name: producerName,
    opset_import: opsetImports(graph, what),
    graph: {
      name: graph.name,
      node: graph.nodes.map((node, index) => nodeToProto(node, `${what}: ${describeNode(node, index)}`)),
      initializer: [...graph.constants].map(([name, tensor]) => tensorToProto(tensor, name)),
      input: graph.inputs.map((v) => valueInfoToProto(v, `${what}: graph input`)),
      output: graph.outputs.map((v) => valueInfoToProto(v, `${what}: graph output`)),
      value_info: valueInfo.map((v) => valueInfoToProto(v, `${what}: value_info`)),
    },
  };
  const bytes = ModelProtoType.encode(model).finish();
  // protobufjs may hand back a Node Buffer that shares a pooled allocation;
  // a copy gives callers a plain Uint8Array that owns its memory.
  return new Uint8Array(bytes);
}

/** The default domain at the graph's opset, then every other domain the nodes use, sorted by name. */
function opsetImports(graph: Graph, what: string): OperatorSetIdMessage[] {
  const domains = new Set<string>();
  graph.nodes.forEach((node, index) => {
    if (isDefaultDomain(node.domain)) return;
    const domain = node.domain!;
    if (KNOWN_DOMAIN_VERSIONS[domain] === undefined) {
      throw new OnnxError(
        `${what}: ${describeNode(node, index)} uses unknown domain "${domain}"; ` +
          `known domains: ${[DEFAULT_DOMAIN_NAME, ...Object.keys(KNOWN_DOMAIN_VERSIONS)].join(", ")}`,
      );
    }
    domains.add(domain);
  });
  return [
    { domain: "", version: int64Bits(BigInt(graph.opset)) },
    ...[...domains].sort().map((domain) => ({ domain, version: int64Bits(BigInt(KNOWN_DOMAIN_VERSIONS[domain])) })),
  ];
}

function nodeToProto(node: Node, where: string): NodeMessage {
  const names = Object.keys(node.attributes).sort();
  return {
    input: [...node.inputs],
    output: [...node.outputs],
    ...(node.name ? { name: node.name } : {}),
    op_type: node.op,
    ...(isDefaultDomain(node.domain) ? {} : { domain: node.domain }),
    attribute: names.map((name) => attributeToProto(node.op, name, node.attributes[name], where)),
  };
}
