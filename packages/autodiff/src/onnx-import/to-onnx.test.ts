import { decodeOnnx, evaluateGraph, Generator, OnnxError } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { BatchNorm2d, Conv2d, Dropout, Flatten, Linear, ReLU, Sequential, Sigmoid } from "../nn/index.js";
import { compileModel } from "../nn/compile-model.js";
import { importOnnx } from "./import-onnx.js";
import { toOnnx } from "./to-onnx.js";

const generator = new Generator(11);

const MODELS = [
  {
    name: "MLP",
    make: () => new Sequential(new Linear(4, 5, { generator, dtype: "float64" }), new ReLU(), new Linear(5, 2, { generator, dtype: "float64" }), new Sigmoid()),
    features: [4],
  },
  {
    name: "CNN",
    make: () => new Sequential(new Conv2d(2, 3, 3, { padding: 1, stride: 2, generator, dtype: "float64" }), new ReLU(), new Flatten(), new Linear(12, 2, { generator, dtype: "float64" })),
    features: [2, 4, 4],
  },
];

describe("toOnnx", () => {
  it.each(MODELS)("$name: importOnnx(toOnnx(model)) has the same parameters and outputs", async ({ make, features }) => {
    const model = make();
    const spec = { dtype: "float64" as const, shape: ["batch", ...features] };
    const again = importOnnx(toOnnx(model, spec));
    expect(again.namedParameters().map(([n, p]) => [n, p.shape])).toEqual(model.namedParameters().map(([n, p]) => [n, p.shape]));
    again.namedParameters().forEach(([name, p], i) => assertAllClose(p, model.parameters()[i], { rtol: 0, atol: 0 }, name));
    expect(again.inputSpec).toEqual(spec);
    const x = generator.normal([3, ...features], { dtype: "float64" });
    const [original, imported] = await Promise.all([model, again].map(async (m) => (await compileModel(m, spec, { runtime: "js" })).run(x)));
    assertAllClose(imported, original, { rtol: 1e-14, atol: 1e-14 });
  });

  it("keeps BatchNorm running statistics as buffers when told their names", async () => {
    const model = new Sequential(new Conv2d(2, 3, 3, { generator, dtype: "float64" }), new BatchNorm2d(3, { dtype: "float64" }), new ReLU()).eval();
    const state = model.stateDict();
    state["1.running_mean"] = generator.normal([3], { dtype: "float64" });
    state["1.running_var"] = generator.uniform([3], { dtype: "float64" });
    model.loadStateDict(state);
    const spec = { dtype: "float64" as const, shape: ["batch", 2, 5, 5] };
    const again = importOnnx(toOnnx(model, spec), { buffers: model.namedBuffers().map(([name]) => name) });
    expect(again.namedBuffers().map(([name]) => name)).toEqual(["1.running_mean", "1.running_var"]);
    // num_batches_tracked is state the forward never reads, so the program (and the file) has no place for it.
    expect(Object.keys(again.stateDict())).toEqual(Object.keys(model.stateDict()).filter((name) => name !== "1.num_batches_tracked"));
    const x = generator.normal([2, 2, 5, 5], { dtype: "float64" });
    const [original, imported] = await Promise.all([model, again].map(async (m) => (await compileModel(m, spec, { runtime: "js" })).run(x)));
    assertAllClose(imported, original, { rtol: 1e-14, atol: 1e-14 });
  });

  it("with parameters as inputs, writes no initializers and takes the parameters as graph inputs after the data", async () => {
    const model = MODELS[0].make();
    const graph = decodeOnnx(toOnnx(model, { dtype: "float64", shape: ["batch", 4] }, { parameters: "inputs" }));
    expect(graph.inputs.map((i) => i.name)).toEqual(["input", "0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(graph.constants.size).toBe(0);
    // The graph runs with the parameters fed, and computes what the model does.
    const x = generator.normal([2, 4], { dtype: "float64" });
    const { output } = evaluateGraph(graph, { input: x, ...Object.fromEntries(model.namedParameters()) });
    assertAllClose(output, await (await compileModel(model, { dtype: "float64", shape: ["batch", 4] }, { runtime: "js" })).run(x), { rtol: 1e-14 });
  });

  it("refuses a model that draws random numbers (Dropout in training mode)", () => {
    const model = new Sequential(new Linear(4, 2, { generator }), new Dropout(0.5));
    expect(() => toOnnx(model, { dtype: "float32", shape: ["batch", 4] })).toThrow(OnnxError);
    expect(() => toOnnx(model, { dtype: "float32", shape: ["batch", 4] })).toThrow(/draws random numbers .*call model.eval\(\)/);
    expect(() => toOnnx(model.eval(), { dtype: "float32", shape: ["batch", 4] })).not.toThrow();
  });

  it("refuses an unknown parameters option", () => {
    const model = MODELS[0].make();
    expect(() => toOnnx(model, { dtype: "float64", shape: ["batch", 4] }, { parameters: "weights" as "inputs" })).toThrow(/parameters must be "initializers" or "inputs", got "weights"/);
  });
});
