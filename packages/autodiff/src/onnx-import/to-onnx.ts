/**
 * A model to `.onnx` bytes: traced, lowered to a graph of ONNX operators,
 * encoded.
 */
import { encodeOnnx, OnnxError, type Graph, type Node, type Tensor } from "@curv/tensor";
import type { InputSpec } from "../core/program.js";
import { lowerProgram } from "../lower/lower-program.js";
import type { Module } from "../nn/module.js";
import { traceModel } from "../nn/trace-model.js";

/** Options of {@link toOnnx}. */
export interface ToOnnxOptions {
  /**
   * Where the parameters and buffers go: `"initializers"` (default) stores
   * their current values in the file under their dotted names, as
   * torch.onnx.export does, so {@link importOnnx} gives them back as
   * parameters; `"inputs"` makes them graph inputs after the data, so the
   * file holds only the computation and every run feeds the values.
   */
  readonly parameters?: "initializers" | "inputs";
  /** The data input's name; default `"input"`. */
  readonly inputName?: string;
  /** The ONNX opset; default @curv/tensor's (17). */
  readonly opset?: number;
  /** The graph's name; default the model's kind. */
  readonly name?: string;
}

/**
 * Exports `model` as an ONNX model (`ModelProto` bytes) for data of type
 * `inputSpec` (the batch axis may be symbolic): the model's forward is
 * traced, lowered to ONNX operators (the lowering of each primitive, so a
 * Linear becomes MatMul + Transpose + Add and ReLU a Where) and encoded.
 * Literals become Constant nodes, so the file's initializers are exactly
 * the model's state. Buffers (BatchNorm's running statistics) are computed
 * with plain operators, so {@link importOnnx} needs their names (its
 * `buffers` option) to hold them as buffers again. The output is named `"output"`. The model must be deterministic (no
 * Dropout in training mode): random draws have no place in a file.
 *
 * @throws {OnnxError} when the model draws random numbers, or the graph
 * cannot be encoded.
 *
 * @example
 * ```ts
 * const bytes = toOnnx(model.eval(), { dtype: "float32", shape: ["batch", 7] });
 * await writeFileAtomic("model.onnx", bytes);
 * const again = importOnnx(bytes);      // the same parameters, the same outputs
 * ```
 */
export function toOnnx(model: Module, inputSpec: InputSpec, options: ToOnnxOptions = {}): Uint8Array {
  const { parameters = "initializers", inputName = "input", opset, name = model.kind } = options;
  const traced = traceModel(model, inputSpec, { dataName: inputName, name });
  if (traced.inputs.randoms.length > 0) {
    const names = traced.inputs.randoms.map((r) => `"${r.name}"`).join(", ");
    throw new OnnxError(`toOnnx: the model draws random numbers (${names}); call model.eval() before exporting`);
  }
  if (parameters !== "inputs" && parameters !== "initializers") {
    throw new OnnxError(`toOnnx: parameters must be "initializers" or "inputs", got ${JSON.stringify(parameters)}`);
  }
  const graph = literalsAsConstantNodes(lowerProgram(traced.program, opset === undefined ? {} : { opset }));
  return encodeOnnx(parameters === "inputs" ? graph : withStateAsInitializers(graph, model, inputName));
}

/**
 * `graph` with the program's literals (the 0 of a ReLU, a pooling kernel)
 * as Constant nodes, so the only initializers are the model's state: a
 * float initializer in a file means a parameter, to importOnnx as to
 * other readers.
 */
function literalsAsConstantNodes(graph: Graph): Graph {
  const constantNodes: Node[] = [...graph.constants].map(([name, value]) => ({ op: "Constant", inputs: [], outputs: [name], attributes: { value }, name }));
  return { ...graph, nodes: [...constantNodes, ...graph.nodes], constants: new Map() };
}

/** `graph` with every input but the data turned into an initializer holding the model's current tensor. */
function withStateAsInitializers(graph: Graph, model: Module, inputName: string): Graph {
  const state = new Map<string, Tensor>([...model.namedParameters(), ...model.namedBuffers()]);
  const constants = new Map<string, Tensor>();
  for (const input of graph.inputs) {
    if (input.name === inputName) continue;
    const tensor = state.get(input.name);
    if (tensor === undefined) throw new OnnxError(`toOnnx: the graph input "${input.name}" is neither the data nor a parameter or buffer of the model`);
    constants.set(input.name, tensor);
  }
  return { ...graph, inputs: graph.inputs.filter((i) => i.name === inputName), constants };
}
