import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { evaluateGraph, GraphBuilder } from "../graph/index.js";
import { Generator } from "../random.js";
import { assertAllClose } from "../test/all-close.js";
import { SWIFTSHADER_ICD } from "./backends/provider-help.js";
import { compile } from "./compile-node.js";
import { assertSameOutputs, CONV_CASES, OPERATOR_CASES } from "./operator-cases.js";

/**
 * Whether ORT's WebGPU provider starts here. In CI it must (the tests below
 * then fail with the reason); elsewhere, without it, they are skipped with a
 * note on how to enable them.
 */
async function startWebGpu(): Promise<Error | undefined> {
  const b = new GraphBuilder("webgpu-available");
  b.output(b.op("Neg", [b.input("x", "float32", [1])]), "y");
  try {
    await compile(b.build(), { providers: ["webgpu"] });
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

const unavailable = await startWebGpu();
const inCi = Boolean(process.env.CI);
if (unavailable !== undefined && !inCi) {
  console.warn(
    `ORT WebGPU tests skipped: the provider did not start (${unavailable.message.split("\n")[1] ?? unavailable.message}). ` +
      `To run them without a GPU: apt-get install chromium; vitest then sets VK_ICD_FILENAMES=${SWIFTSHADER_ICD}.`,
  );
}

describe.skipIf(unavailable !== undefined && !inCi)("ORT's WebGPU provider", () => {
  it("starts (CI requires it)", () => {
    if (unavailable !== undefined) throw unavailable;
  });

  for (const [op, cases] of Object.entries(OPERATOR_CASES)) {
    for (const operatorCase of cases) {
      it(`${op} (${operatorCase.label}) in float32 matches the CPU provider`, async () => {
        const { graph, feeds } = operatorCase.build("float32");
        const onGpu = await compile(graph, { providers: ["webgpu"] });
        const onCpu = await compile(graph, { providers: ["cpu"] });
        expect(onGpu.provider).toBe("webgpu");
        try {
          assertSameOutputs(await onGpu.run(feeds), await onCpu.run(feeds), { rtol: 1e-4, atol: 1e-4 }, `${op} webgpu`);
        } finally {
          await Promise.all([onGpu.dispose(), onCpu.dispose()]);
        }
      });
    }
  }

  it("runs float64 graphs through the lowering, on the CPU kernels WebGPU hands them to", async () => {
    const { graph, feeds } = CONV_CASES[1].build("float64");
    const program = await compile(graph, { providers: ["webgpu"] });
    assertAllClose((await program.run(feeds)).out0, evaluateGraph(graph, feeds).out0, { rtol: 1e-12, atol: 1e-13 });
  });

  it("serves batches of 3 and 5 with one compiled graph", async () => {
    const b = new GraphBuilder("webgpu-batch");
    const x = b.input("x", "float32", ["batch", 4]);
    const w = b.input("w", "float32", [4, 3]);
    b.output(b.op("Softmax", [b.op("MatMul", [x, w])], { axis: -1 }), "p");
    const graph = b.build();
    const program = await compile(graph, { providers: ["webgpu"] });
    const rng = new Generator(11);
    const weight = rng.normal([4, 3]);
    for (const batch of [3, 5]) {
      const feeds = { x: rng.normal([batch, 4]), w: weight };
      const { p } = await program.run(feeds);
      expect(p.shape).toEqual([batch, 3]);
      assertAllClose(p, evaluateGraph(graph, feeds).p, { rtol: 1e-4, atol: 1e-5 });
    }
  });
});

describe.runIf(process.platform === "linux")("ORT's WebGPU provider without a Vulkan driver", () => {
  it("fails with a message naming VK_ICD_FILENAMES and SwiftShader", async () => {
    const script = fileURLToPath(new URL("./testdata/start-webgpu.ts", import.meta.url));
    const env = { ...process.env, VK_ICD_FILENAMES: "/nonexistent/vulkan_icd.json" };
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], { env, timeout: 60_000 });
    const outcome = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(outcome.started).toBe(false);
    expect(outcome.name).toBe("RuntimeError");
    expect(outcome.message).toContain('runtime "ort": no provider could start (tried webgpu)');
    expect(outcome.message).toContain('VK_ICD_FILENAMES is "/nonexistent/vulkan_icd.json"');
    expect(outcome.message).toContain(`VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`);
    expect(outcome.message).toContain("SwiftShader");
  });
});
