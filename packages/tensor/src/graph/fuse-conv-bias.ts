/**
 * A bias added to a convolution's result, `Add(Conv(X, W), Reshape(b, [C, 1, 1]))`
 * (how a traced `Conv2d` layer adds its bias), as Conv's own `B` input, so
 * the runtime adds it while it writes the result instead of in a second pass
 * over it.
 */
import { GraphFacts, nodeOf } from "./graph-facts.js";
import type { Graph } from "./ir.js";

/**
 * The 1-D bias `[C]` that `addend` is, laid out along the channel axis of
 * a `[N, C, H, W]` result (`[C, 1, 1]` or `[1, C, 1, 1]`); or undefined.
 */
function channelBias(facts: GraphFacts, addend: string, channels: number | string): string | undefined {
  const shape = facts.types.get(addend)!.shape;
  const alongChannels = (shape.length === 3 || (shape.length === 4 && shape[0] === 1)) && shape.slice(-2).every((d) => d === 1);
  if (!alongChannels || shape[shape.length - 3] !== channels) return undefined;
  const producer = facts.producers.get(addend);
  if (producer?.op !== "Reshape" && producer?.op !== "Unsqueeze") return undefined;
  const source = producer.inputs[0];
  const sourceShape = facts.types.get(source)!.shape;
  return sourceShape.length === 1 && sourceShape[0] === channels ? source : undefined;
}

/**
 * `graph` with `Add(Conv(X, W), bias)` (either order) turned into
 * `Conv(X, W, b)` where the Conv has no bias and no other reader and the
 * addend is a reshaped 1-D `b` of one entry per output channel. Nodes left
 * unread stay (dead-code elimination removes them).
 *
 * @example
 * ```ts
 * eliminateDeadCode(fuseConvBias(graph)).nodes.map((n) => n.op); // ["Conv"], was ["Conv", "Reshape", "Add"]
 * ```
 */
export function fuseConvBias(graph: Graph): Graph {
  const facts = new GraphFacts(graph);
  const nodes = graph.nodes.map((current) => {
    if (current.op !== "Add") return current;
    for (const [k, name] of current.inputs.entries()) {
      const conv = facts.producers.get(name);
      if (conv?.op !== "Conv" || (conv.inputs[2] ?? "") !== "" || !facts.readOnce(name)) continue;
      const outputType = facts.types.get(name)!;
      if (outputType.shape.length !== 4 || facts.types.get(current.outputs[0])!.shape.length !== 4) continue;
      const bias = channelBias(facts, current.inputs[1 - k], outputType.shape[1]);
      if (bias === undefined || facts.types.get(bias)!.dtype !== outputType.dtype) continue;
      return nodeOf("Conv", [conv.inputs[0], conv.inputs[1], bias], current.outputs, conv.attributes);
    }
    return current;
  });
  return { ...graph, nodes };
}
