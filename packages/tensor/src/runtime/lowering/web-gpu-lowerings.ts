/**
 * Rewrites for onnxruntime-web's WebGPU provider (its JSEP kernels, in the
 * `onnxruntime-web` build curv loads). Running the operator parity table
 * (operator-cases.ts) in Chromium against onnxruntime-node's CPU provider
 * found float32 nodes it computes wrongly or fails on; it has no option to
 * leave chosen nodes to the CPU, and a failed run leaves the page's WebGPU
 * backend unusable ("kernel ... is not allowed to be called recursively"),
 * so such nodes are lowered to operators it gets right:
 *
 * - ConvTranspose (wrong with asymmetric pads, output_shape, auto_pad, some
 *   strided kernels): as a convolution of the zero-inserted input;
 * - MaxPool with dilations (wrong) or ceil_mode (not implemented): im2col and ReduceMax;
 * - AveragePool with ceil_mode (not implemented): im2col, ReduceSum and Div.
 *
 * MaxPool's `Indices` output fails too and has no such rewrite: compiling a
 * graph that uses it for this provider is a RuntimeError that says so.
 */
import { RuntimeError } from "../../errors.js";
import type { Node, ValueType } from "../../graph/ir.js";
import { lowerAveragePool } from "./average-pool.js";
import { lowerConvTranspose } from "./convolution-transpose.js";
import { lowerMaxPool } from "./max-pool.js";
import type { Lowering } from "./node-emitter.js";
import { isDilated, usesCeilMode, usesIndicesOutput } from "./window-geometry.js";

const rejectMaxPoolIndices: Lowering = (_node, _emitter, context) => {
  throw new RuntimeError(
    `${context}: onnxruntime-web's WebGPU provider cannot compute MaxPool's Indices output (its kernel fails, and the failure ` +
      `leaves the page's WebGPU backend unusable); compile this graph for the wasm provider instead`,
  );
};

/** The rewrite a float32 node needs on onnxruntime-web's WebGPU provider, or undefined. */
export function webGpuLoweringOf(node: Node, types: ReadonlyMap<string, ValueType>): Lowering | undefined {
  // Other dtypes run on the wasm kernels, which compute these nodes right.
  if (types.get(node.inputs[0])?.dtype !== "float32") return undefined;
  switch (node.op) {
    case "ConvTranspose":
      return lowerConvTranspose;
    case "MaxPool":
      if (usesIndicesOutput(node)) return rejectMaxPoolIndices;
      return isDilated(node) || usesCeilMode(node) ? lowerMaxPool : undefined;
    case "AveragePool":
      return usesCeilMode(node) ? lowerAveragePool : undefined;
    default:
      return undefined;
  }
}
