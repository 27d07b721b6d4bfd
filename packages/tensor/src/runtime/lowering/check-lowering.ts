/**
 * The check every lowering test makes: the lowered graph computes what the
 * original computes, judged by the reference interpreter (the `js` runtime)
 * on the original graph, both on the interpreter and on ORT's CPU provider.
 * Used by the tests only.
 */
import { evaluateGraph, validateGraph } from "../../graph/index.js";
import type { Graph } from "../../graph/ir.js";
import type { Tensor } from "../../tensor.js";
import { assertAllClose, type Tolerance } from "../../test/all-close.js";
import { compile } from "../compile-node.js";
import { float64LoweringOf } from "./float64-cpu-lowerings.js";
import { lowerForOrt } from "./lower-for-ort.js";

/**
 * Lowers `graph` for the CPU provider and throws unless: something was
 * lowered and nothing that needs lowering is left, the lowered graph
 * validates, and the lowered graph on the interpreter and the original graph
 * on ORT's CPU provider (which compiles the lowered graph) both match the
 * interpreter on the original graph. Returns the lowered graph.
 */
export async function checkLowering(graph: Graph, feeds: Record<string, Tensor>, tolerance: Tolerance): Promise<Graph> {
  const lowered = lowerForOrt(graph, "cpu");
  if (lowered === graph) throw new Error(`graph "${graph.name}" was not lowered`);
  const types = validateGraph(lowered);
  const left = lowered.nodes.filter((n) => float64LoweringOf(n, types) !== undefined).map((n) => n.op);
  if (left.length > 0) throw new Error(`graph "${graph.name}": still needs lowering after lowering: ${left.join(", ")}`);
  const op = graph.nodes.map((n) => n.op).join(", ");
  const expected = evaluateGraph(graph, feeds);
  const onInterpreter = evaluateGraph(lowered, feeds);
  const onOrt = await (await compile(graph, { runtime: "ort", providers: ["cpu"] })).run(feeds);
  for (const { name } of graph.outputs) {
    assertAllClose(onInterpreter[name], expected[name], tolerance, `${op} lowered, on the interpreter: output "${name}"`);
    assertAllClose(onOrt[name], expected[name], tolerance, `${op} lowered, on ORT's CPU provider: output "${name}"`);
  }
  return lowered;
}
