import { GraphBuilder, type FloatDType, type Graph, type Tensor } from "@curv/tensor";

/**
 * The tour's graph: a two-layer network with a softmax head,
 * `softmax(relu(x W1 + b1) W2 + b2)`, with a symbolic batch axis. Weights are
 * graph inputs, not constants, as everywhere in curv.
 */
export function tourGraph(dtype: FloatDType, inputs = 4, hidden = 8, classes = 3): Graph {
  const b = new GraphBuilder(`tour-mlp-${dtype}`);
  const x = b.input("x", dtype, ["batch", inputs]);
  const w1 = b.input("w1", dtype, [inputs, hidden]);
  const b1 = b.input("b1", dtype, [hidden]);
  const w2 = b.input("w2", dtype, [hidden, classes]);
  const b2 = b.input("b2", dtype, [classes]);
  const h = b.op("Relu", [b.op("Add", [b.op("MatMul", [x, w1]), b1])]);
  const logits = b.op("Add", [b.op("MatMul", [h, w2]), b2]);
  b.output(b.op("Softmax", [logits], { axis: -1 }), "probabilities");
  return b.build();
}

/** Feeds of the tour graph in the requested dtype. */
export type TourFeeds = Record<"x" | "w1" | "b1" | "w2" | "b2", Tensor>;
