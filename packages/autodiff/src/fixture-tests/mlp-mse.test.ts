import type { FloatDType, RuntimeName, Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileProgram } from "../compile-function.js";
import { MSELoss } from "../losses/index.js";
import { Linear, ReLU, Sequential, Sigmoid } from "../nn/index.js";
import type { Module } from "../nn/module.js";
import { importOnnx } from "../onnx-import/index.js";
import { curvatureProgram } from "./curvature-program.js";
import { loadMlpMseFixture } from "./golden-fixture.js";

// Section 5 of the autodiff issue: the PyTorch reference values of the
// curvlinops sub-matrices model (fixtures/mlp-mse) reproduced from nn modules
// loaded with the fixture's weights and from importOnnx on the fixture's
// torch.onnx.export file, on js in float64 and on ORT CPU in float32.
//
// curvlinops' data-set convention (golden JSON `conventions`): the loss over
// the data set is L = sum_b (N_b / N) L_b with L_b the batch's mean MSE, so
// every per-batch quantity (loss, gradient, H v, G v) is summed with weights
// N_b / N.

interface Row {
  source: "nn modules" | "importOnnx";
  runtime: RuntimeName;
  dtype: FloatDType;
  /** Entrywise tolerance: |a - b| <= rtol |b| + rtol max|b| (the second term keeps near-zero entries from dominating). */
  rtol: number;
}

const ROWS: Row[] = [
  { source: "nn modules", runtime: "js", dtype: "float64", rtol: 1e-10 },
  { source: "importOnnx", runtime: "js", dtype: "float64", rtol: 1e-10 },
  { source: "nn modules", runtime: "ort", dtype: "float32", rtol: 1e-4 },
  { source: "importOnnx", runtime: "ort", dtype: "float32", rtol: 1e-4 },
];

function modelOf(source: Row["source"], dtype: FloatDType, fixture: ReturnType<typeof loadMlpMseFixture>): Module {
  if (source === "importOnnx") return importOnnx(fixture.onnxBytes, { dtype });
  const model = new Sequential(new Linear(7, 5, { dtype }), new ReLU(), new Linear(5, 5, { dtype }), new Sigmoid(), new Linear(5, 3, { dtype }));
  model.loadStateDict(fixture.stateDict);
  return model;
}

/** The per-parameter outputs `prefix.<name>` of a run, concatenated in parameter order (the fixture's theta order). */
function flatten(results: Record<string, Tensor>, prefix: string, names: readonly string[]): number[] {
  return names.flatMap((name) => Array.from(results[`${prefix}.${name}`].data as ArrayLike<number>));
}

function expectClose(actual: number[], expected: number[], rtol: number, what: string): void {
  const scale = Math.max(...expected.map(Math.abs));
  const comparison = compare(actual, expected, { rtol, atol: rtol * scale });
  expect(comparison.ok, `${what}: ${comparison.message}`).toBe(true);
}

describe("mlp-mse fixture (PyTorch 1.13 reference values)", () => {
  it.each(ROWS)("$source on $runtime in $dtype: loss, outputs, gradient, H v and G v", async ({ source, runtime, dtype, rtol }) => {
    const fixture = loadMlpMseFixture(dtype);
    const model = modelOf(source, dtype, fixture);
    const names = model.namedParameters().map(([name]) => name);
    expect(names).toEqual(Object.keys(fixture.stateDict));
    const program = curvatureProgram(model, new MSELoss({ reduction: "mean" }), { dtype, shape: ["batch", 7] }, { dtype, shape: ["batch", 3] });
    const compiled = await compileProgram(program, { runtime });
    try {
      const totals = { loss: 0, gradient: new Array<number>(88).fill(0), hvp: new Array<number>(88).fill(0), ggnvp: new Array<number>(88).fill(0) };
      for (const [b, { X, y }] of fixture.batches.entries()) {
        const feeds: Record<string, Tensor> = { x: X, y, ...Object.fromEntries(model.namedParameters()) };
        for (const name of names) feeds[`v.${name}`] = fixture.probe[name];
        const results = await compiled.run(feeds);
        const weight = X.shape[0] / fixture.numData;
        totals.loss += weight * results.loss.item();
        for (const key of ["gradient", "hvp", "ggnvp"] as const) {
          flatten(results, key, names).forEach((value, i) => (totals[key][i] += weight * value));
        }
        expectClose(Array.from(results.output.data as ArrayLike<number>), fixture.expected.outputs[b].data, rtol, `outputs of batch ${b}`);
      }
      expectClose([totals.loss], [fixture.expected.loss], rtol, "loss");
      expectClose(totals.gradient, fixture.expected.gradient, rtol, "gradient");
      expectClose(totals.hvp, fixture.expected.hvp, rtol, "H v");
      expectClose(totals.ggnvp, fixture.expected.ggnvp, rtol, "G v");
    } finally {
      await compiled.dispose();
    }
  });
});
