/**
 * The `ort-web` runtime in a real browser: the browser entry point of
 * @curv/tensor, bundled by esbuild into a page served from 127.0.0.1 with
 * onnxruntime-web's wasm files, driven in Debian's Chromium by playwright-core.
 * Each run is compared with the same graph on onnxruntime-node's CPU provider.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DType, FloatDType } from "../dtype.js";
import { tensor, type Tensor } from "../tensor.js";
import { assertAllClose } from "../test/all-close.js";
import { compile } from "./compile-node.js";
import { assertSameOutputs, OPERATOR_CASES } from "./operator-cases.js";
import { browserFeeds, browserGraph } from "./testdata/browser-graph.js";
import { CHROMIUM, openPage, type OpenPage } from "./testdata/chromium-page.js";
import type { PageRun, PlainOutputs } from "./testdata/ort-web-page.js";

const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
if (!haveChromium && !inCi) {
  console.warn(`ort-web browser tests skipped: ${CHROMIUM} is missing. To run them: apt-get install chromium.`);
}

/** The page's outputs as tensors. */
function tensorsOf(outputs: PlainOutputs): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, { dtype, shape, data }] of Object.entries(outputs)) out[name] = tensor(data, { dtype: dtype as DType, shape });
  return out;
}

/** The same graph and feeds on onnxruntime-node's CPU provider. */
async function onOrtCpu(dtype: FloatDType, batch: number): Promise<Record<string, Tensor>> {
  const program = await compile(browserGraph(dtype), { providers: ["cpu"] });
  return program.run(browserFeeds(dtype, batch));
}

describe.skipIf(!haveChromium && !inCi)("ort-web runtime in Chromium", () => {
  let opened: OpenPage | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: CI must install chromium (apt-get install chromium)`);
    opened = await openPage(fileURLToPath(new URL("./testdata/ort-web-page.ts", import.meta.url)));
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  function runInPage(dtype: FloatDType, providers: string[], batch: number): Promise<PageRun> {
    return page.evaluate(
      ([d, p, n]) => (globalThis as unknown as { runOnOrtWeb: (...a: unknown[]) => Promise<PageRun> }).runOnOrtWeb(d, p, n),
      [dtype, providers, batch] as const,
    );
  }

  it("runs float32 on wasm, batches of 2 and 3, as onnxruntime-node's CPU provider does", async () => {
    for (const batch of [2, 3]) {
      const run = await runInPage("float32", ["wasm"], batch);
      expect([run.runtime, run.provider]).toEqual(["ort-web", "wasm"]);
      const expected = await onOrtCpu("float32", batch);
      expect(run.outputs.probabilities.shape).toEqual([batch, 4]);
      for (const [name, value] of Object.entries(tensorsOf(run.outputs))) assertAllClose(value, expected[name], { rtol: 1e-5, atol: 1e-6 }, name);
    }
  });

  it("runs float64 on wasm, Conv and Erf through the lowering", async () => {
    const run = await runInPage("float64", ["wasm"], 2);
    const expected = await onOrtCpu("float64", 2);
    for (const [name, value] of Object.entries(tensorsOf(run.outputs))) {
      expect(value.dtype).toBe("float64");
      assertAllClose(value, expected[name], { rtol: 1e-12, atol: 1e-14 }, name);
    }
  });

  /**
   * Runs the whole operator parity table in the page and compares each case
   * with ORT's CPU provider in Node; `rejected` maps the cases the provider
   * must refuse to the error expected.
   */
  async function checkOperatorCases(
    dtype: FloatDType,
    provider: string,
    tolerance: { rtol: number; atol: number },
    rejected: Record<string, RegExp> = {},
  ): Promise<void> {
    const results = await page.evaluate(
      ([d, p]) => (globalThis as unknown as { runOperatorCases: (...a: unknown[]) => Promise<Record<string, PlainOutputs | string>> }).runOperatorCases(d, p),
      [dtype, provider] as const,
    );
    const failures: string[] = [];
    for (const [op, cases] of Object.entries(OPERATOR_CASES)) {
      for (const operatorCase of cases) {
        const key = `${op}/${operatorCase.label}`;
        const result = results[key];
        if (rejected[key] !== undefined) {
          if (typeof result !== "string" || !rejected[key].test(result)) failures.push(`${key}: expected an error matching ${rejected[key]}, got ${JSON.stringify(result).slice(0, 200)}`);
          continue;
        }
        if (typeof result === "string") {
          failures.push(`${key}: ${result}`);
          continue;
        }
        const { graph, feeds } = operatorCase.build(dtype);
        const program = await compile(graph, { providers: ["cpu"] });
        try {
          assertSameOutputs(tensorsOf(result), await program.run(feeds), tolerance, key);
        } catch (error) {
          failures.push((error as Error).message);
        } finally {
          await program.dispose();
        }
      }
    }
    expect(failures).toEqual([]);
  }

  it("agrees with onnxruntime-node's CPU provider on every operator case, float32 on wasm", async () => {
    await checkOperatorCases("float32", "wasm", { rtol: 1e-5, atol: 1e-6 });
  });

  it("agrees with onnxruntime-node's CPU provider on every operator case, float64 on wasm", async () => {
    await checkOperatorCases("float64", "wasm", { rtol: 1e-12, atol: 1e-14 });
  });

  it("agrees with onnxruntime-node's CPU provider on every operator case, float32 on webgpu", async () => {
    await checkOperatorCases("float32", "webgpu", { rtol: 1e-4, atol: 1e-4 }, {
      "MaxPool/indices": /cannot compute MaxPool's Indices output .*compile this graph for the wasm provider instead/,
    });
  });

  it("runs float32 on webgpu (Chromium's SwiftShader adapter without a GPU)", async () => {
    const run = await runInPage("float32", ["webgpu", "wasm"], 3);
    expect(run.provider).toBe("webgpu");
    const expected = await onOrtCpu("float32", 3);
    for (const [name, value] of Object.entries(tensorsOf(run.outputs))) assertAllClose(value, expected[name], { rtol: 1e-4, atol: 1e-5 }, name);
  });
});
