import { describe, expect, it } from "vitest";
import { evaluateGraph } from "../../graph/index.js";
import { compile } from "../compile-node.js";
import { assertSameOutputs, AVERAGE_POOL_CASES, CONV_TRANSPOSE_CASES, MAX_POOL_CASES, type OperatorCase } from "../operator-cases.js";
import { applyLowerings } from "./apply-lowerings.js";
import { webGpuLoweringOf } from "./web-gpu-lowerings.js";

/** The cases onnxruntime-web's WebGPU provider gets rewritten: every ConvTranspose, and the pools that dilate or use ceil_mode. */
const REWRITTEN: [string, readonly OperatorCase[]][] = [
  ["ConvTranspose", CONV_TRANSPOSE_CASES],
  ["AveragePool", AVERAGE_POOL_CASES.filter((c) => c.label.includes("ceil_mode"))],
  ["MaxPool", MAX_POOL_CASES.filter((c) => c.label.includes("ceil_mode"))],
];

describe("onnxruntime-web WebGPU rewrites (float32)", () => {
  for (const [op, cases] of REWRITTEN) {
    for (const operatorCase of cases) {
      // The reference is onnxruntime-node's CPU kernel of the original node.
      it(`${op} (${operatorCase.label}) rewritten, on the interpreter, matches ORT's CPU kernel`, async () => {
        const { graph, feeds } = operatorCase.build("float32");
        const lowered = applyLowerings(graph, webGpuLoweringOf);
        expect(lowered.nodes.map((n) => n.op)).not.toContain(op);
        const program = await compile(graph, { providers: ["cpu"] });
        assertSameOutputs(evaluateGraph(lowered, feeds), await program.run(feeds), { rtol: 1e-5, atol: 1e-5 }, op);
        await program.dispose();
      });
    }
  }
});
