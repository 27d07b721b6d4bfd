// The graph and feeds that ort-web.browser.test.ts runs both in Chromium (on
// onnxruntime-web) and in Node (on onnxruntime-node's CPU provider): a small
// convolutional classifier with a symbolic batch.
import type { FloatDType } from "../../dtype.js";
import { GraphBuilder } from "../../graph/index.js";
import type { Graph } from "../../graph/ir.js";
import { Generator } from "../../random.js";
import type { Tensor } from "../../tensor.js";

/** Conv (pads 1, stride 2) -> Relu -> Flatten -> MatMul + bias -> Softmax; also exp(-x^2)-weighted Erf features. */
export function browserGraph(dtype: FloatDType): Graph {
  const b = new GraphBuilder(`browser-classifier-${dtype}`);
  const x = b.input("x", dtype, ["batch", 1, 6, 6]);
  const kernel = b.input("kernel", dtype, [3, 1, 3, 3]);
  const weight = b.input("weight", dtype, [27, 4]);
  const bias = b.input("bias", dtype, [4]);
  const features = b.op("Relu", [b.op("Conv", [x, kernel], { pads: [1, 1, 1, 1], strides: [2, 2] })]);
  const logits = b.op("Add", [b.op("MatMul", [b.op("Flatten", [features], { axis: 1 }), weight]), bias]);
  b.output(b.op("Softmax", [logits], { axis: -1 }), "probabilities");
  b.output(b.op("Erf", [logits]), "erfLogits");
  return b.build();
}

/** Seeded feeds for a batch. */
export function browserFeeds(dtype: FloatDType, batch: number): Record<string, Tensor> {
  const rng = new Generator(2024);
  return {
    x: rng.normal([batch, 1, 6, 6], { dtype }),
    kernel: rng.normal([3, 1, 3, 3], { dtype }),
    weight: rng.normal([27, 4], { dtype, std: 0.3 }),
    bias: rng.normal([4], { dtype }),
  };
}
