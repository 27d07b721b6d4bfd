// The script of the page ort-web.browser.test.ts opens in Chromium, bundled
// by esbuild from the browser entry point of @curv/tensor.
import { compile, type FloatDType, type ProviderName } from "../../index.browser.js";
import type { Tensor } from "../../tensor.js";
import { OPERATOR_CASES } from "../operator-cases.js";
import { browserFeeds, browserGraph } from "./browser-graph.js";

/** Tensors as plain data, to cross from the page to Node (int64 as numbers). */
export type PlainOutputs = Record<string, { dtype: string; shape: number[]; data: number[] }>;

/** What a run in the page returns to Node. */
export interface PageRun {
  runtime: string;
  provider: string;
  outputs: PlainOutputs;
}

function toPlain(outputs: Record<string, Tensor>): PlainOutputs {
  const plain: PlainOutputs = {};
  for (const [name, value] of Object.entries(outputs)) plain[name] = { dtype: value.dtype, shape: [...value.shape], data: value.toArray() };
  return plain;
}

async function runOnOrtWeb(dtype: FloatDType, providers: ProviderName<"ort-web">[], batch: number): Promise<PageRun> {
  const program = await compile(browserGraph(dtype), { providers, wasmPaths: "/ort/" });
  const outputs = await program.run(browserFeeds(dtype, batch));
  return { runtime: program.runtime, provider: program.provider, outputs: toPlain(outputs) };
}

/** Every operator case of the parity table on one provider: outputs, or the error, by `op/label`. */
async function runOperatorCases(dtype: FloatDType, provider: ProviderName<"ort-web">): Promise<Record<string, PlainOutputs | string>> {
  const results: Record<string, PlainOutputs | string> = {};
  for (const [op, cases] of Object.entries(OPERATOR_CASES)) {
    for (const operatorCase of cases) {
      const { graph, feeds } = operatorCase.build(dtype);
      try {
        const program = await compile(graph, { providers: [provider], wasmPaths: "/ort/" });
        results[`${op}/${operatorCase.label}`] = toPlain(await program.run(feeds));
        await program.dispose();
      } catch (error) {
        results[`${op}/${operatorCase.label}`] = String((error as Error).message);
      }
    }
  }
  return results;
}

Object.assign(globalThis, { runOnOrtWeb, runOperatorCases });
document.title = "ready";
