/**
 * Checking that an ORT provider starts, before any real graph depends on it:
 * load and run a one-node graph. Creating the session is what loads a
 * provider's libraries (CUDA) or opens its device (WebGPU), and running it
 * checks that kernels actually execute there.
 */
import { DEFAULT_OPSET, type Graph } from "../../graph/ir.js";
import { encodeOnnx } from "../../onnx/index.js";
import type { OrtApi, OrtSessionOptions } from "./ort-api.js";

/** `y = x + x` on one float32: every provider has this kernel. */
const PROBE_GRAPH: Graph = {
  name: "curv-provider-probe",
  inputs: [{ name: "x", dtype: "float32", shape: [1] }],
  outputs: [{ name: "y", dtype: "float32", shape: [1] }],
  nodes: [{ op: "Add", inputs: ["x", "x"], outputs: ["y"], attributes: {} }],
  constants: new Map(),
  opset: DEFAULT_OPSET,
};

/**
 * Loads and runs the probe graph with `options`; rejects with ORT's error
 * when the provider cannot start, or with an Error when it computes a wrong
 * sum.
 */
export async function probeProvider(ort: OrtApi, options: OrtSessionOptions): Promise<void> {
  const session = await ort.InferenceSession.create(encodeOnnx(PROBE_GRAPH), options);
  try {
    const { y } = await session.run({ x: new ort.Tensor("float32", new Float32Array([1.5]), [1]) }, ["y"]);
    const data = (y.location === undefined || y.location === "cpu" ? y.data : await y.getData?.(true)) as Float32Array;
    if (data[0] !== 3) throw new Error(`the provider computed 1.5 + 1.5 = ${data[0]}`);
  } finally {
    await session.release();
  }
}
