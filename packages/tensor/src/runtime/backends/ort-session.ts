/**
 * A curv {@link Session} over an ORT inference session: moves tensors across
 * (without copying inputs) and names the runtime, provider and graph in every
 * error ORT raises.
 */
import { dtypeOfArray, isDType, type DataArray } from "../../dtype.js";
import { RuntimeError } from "../../errors.js";
import type { Graph } from "../../graph/ir.js";
import { encodeOnnx } from "../../onnx/index.js";
import { Tensor } from "../../tensor.js";
import type { Session } from "../backend.js";
import type { OrtApi, OrtInferenceSession, OrtSessionOptions, OrtTensor } from "./ort-api.js";
import { messageOf } from "../message-of.js";
import { intermediateTypes } from "./ort-value-info.js";

/** A curv tensor as an ORT tensor sharing its storage (ORT does not write to inputs). */
export function toOrtTensor(ort: OrtApi, value: Tensor): OrtTensor {
  return new ort.Tensor(value.dtype, value.data, value.shape);
}

/** An ORT output as a curv tensor; `context` prefixes errors. */
export async function fromOrtTensor(value: OrtTensor, name: string, context: string): Promise<Tensor> {
  const { type, dims } = value;
  if (!isDType(type)) {
    throw new RuntimeError(`${context}: output "${name}" has dtype ${type}, which curv does not support`);
  }
  // Outputs left on a GPU are downloaded; CPU outputs are returned as they are.
  const data = (value.location === undefined || value.location === "cpu" ? value.data : await value.getData?.(true)) as DataArray;
  if (dtypeOfArray(data) !== type) {
    throw new RuntimeError(`${context}: output "${name}" is ${type} but ORT returned a ${data.constructor.name}`);
  }
  return new Tensor(type, dims, data);
}

/** A label of a session for messages: `ort/cpu` and the graph's name. */
export interface SessionLabel {
  readonly runtime: string;
  readonly provider: string;
  readonly graph: string;
}

export class OrtSession implements Session {
  readonly #ort: OrtApi;
  readonly #session: OrtInferenceSession;
  readonly #label: SessionLabel;

  private constructor(ort: OrtApi, session: OrtInferenceSession, label: SessionLabel) {
    this.#ort = ort;
    this.#session = session;
    this.#label = label;
  }

  /**
   * Encodes `graph` and loads it in ORT with `options`.
   *
   * @throws {RuntimeError} wrapping ORT's error when ORT rejects the model.
   */
  static async create(ort: OrtApi, graph: Graph, options: OrtSessionOptions, label: SessionLabel): Promise<OrtSession> {
    const bytes = encodeOnnx(graph, { valueInfo: intermediateTypes(graph) });
    try {
      return new OrtSession(ort, await ort.InferenceSession.create(bytes, options), label);
    } catch (error) {
      throw new RuntimeError(`${label.runtime}/${label.provider}: ONNX Runtime rejected graph "${label.graph}": ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async run(feeds: Readonly<Record<string, Tensor>>, fetches: readonly string[]): Promise<Record<string, Tensor>> {
    const context = `${this.#label.runtime}/${this.#label.provider}: graph "${this.#label.graph}"`;
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [name, value] of Object.entries(feeds)) ortFeeds[name] = toOrtTensor(this.#ort, value);
    let results: Record<string, OrtTensor>;
    try {
      results = await this.#session.run(ortFeeds, fetches);
    } catch (error) {
      throw new RuntimeError(`${context}: run failed: ${messageOf(error)}`, { cause: error });
    }
    const outputs: Record<string, Tensor> = {};
    for (const name of fetches) outputs[name] = await fromOrtTensor(results[name], name, context);
    return outputs;
  }

  async dispose(): Promise<void> {
    await this.#session.release();
  }
}
