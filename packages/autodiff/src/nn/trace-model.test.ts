import { jsonTensor, readMlpMseGolden } from "@curv/fixtures";
import { concat, DTypeError, Generator, ShapeError, Tensor, tensor, ValueError, type Tensor as TensorType } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileProgram } from "../compile-function.js";
import { input, literal } from "../core/leaves.js";
import { broadcastTo } from "../primitives/broadcast-to.js";
import { makeProgram } from "../core/program.js";
import type { Value } from "../core/value.js";
import { MSELoss } from "../losses/mse-loss.js";
import { matmul, swapLastAxes } from "../primitives/matmul.js";
import { mul } from "../primitives/mul.js";
import { reshape } from "../primitives/reshape.js";
import { jvp } from "../transforms/jvp.js";
import { tappedVjp } from "../transforms/taps.js";
import { vjp } from "../transforms/vjp.js";
import { stateDictFromJson } from "../state-dict/json.js";
import { ReLU, Sigmoid } from "./activations.js";
import { BatchNorm2d } from "./batch-norm2d.js";
import { compileModel } from "./compile-model.js";
import { Conv2d } from "./conv2d.js";
import { Dropout } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { Linear } from "./linear.js";
import { ModelInputs } from "./model-inputs.js";
import { Sequential } from "./sequential.js";
import { functionalCall, traceModel } from "./trace-model.js";

// The PyTorch reference fixture of the repository (fixtures/mlp-mse, float64).
const golden = readMlpMseGolden();
const dtype = "float64";
const X = concat(golden.data.batches.map((b) => jsonTensor(b.X, dtype)), 0);
const Y = concat(golden.data.batches.map((b) => jsonTensor(b.y, dtype)), 0);
const expectedOutputs = concat(golden.results.outputs.map((o) => jsonTensor(o, dtype)), 0);

/** The fixture's model with its weights, loaded through the JSON state-dict reader. */
function fixtureModel(): Sequential {
  const model = new Sequential(new Linear(7, 5, { dtype }), new ReLU(), new Linear(5, 5, { dtype }), new Sigmoid(), new Linear(5, 3, { dtype }));
  model.loadStateDict(stateDictFromJson(Object.fromEntries(golden.params.map((p) => [p.name, p.values]))));
  return model;
}

/** Per-parameter results as one flat vector in parameter order (theta's layout). */
const flat = (tensors: readonly TensorType[]) => tensors.flatMap((t) => t.toArray());

describe("traceModel on the mlp-mse fixture (PyTorch 1.13, float64, js)", () => {
  // The two batches have equal sizes, so the data-set loss sum_b (N_b/N) L_b is the mean over all 8 examples.
  const tolerance = { rtol: 1e-10, atol: 1e-14 };

  it("reproduces the outputs and the loss", async () => {
    const model = fixtureModel();
    const traced = traceModel(model, { dtype, shape: ["batch", 7] });
    const y = input("y", dtype, ["batch", 3]);
    const program = makeProgram("loss", [traced.data, y, ...traced.inputs.values], [
      { name: "output", value: traced.output },
      { name: "loss", value: new MSELoss().value(traced.output, y) },
    ]);
    const run = await compileProgram(program, { runtime: "js" });
    const { output, loss } = await run.run({ ...traced.feeds(X), y: Y });
    assertAllClose(output, expectedOutputs, tolerance, "outputs");
    assertAllClose(loss.reshape([1]), [golden.results.loss], tolerance, "loss");
  });

  it("program inputs are the data, then every parameter in order, named as PyTorch names them", () => {
    const traced = traceModel(fixtureModel(), { dtype, shape: ["batch", 7] });
    expect(traced.program.inputs.map((v) => (v.source.kind === "input" ? v.source.name : "?"))).toEqual(["x", "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]);
    expect(traced.program.outputs.map((o) => o.name)).toEqual(["output"]);
    expect(traced.output.shape).toEqual(["batch", 3]);
  });

  it("records every parameterized layer, whose taps give the gradient through tappedVjp (dW = g^T a)", async () => {
    const model = fixtureModel();
    const leaves = ModelInputs.of(model);
    const x = input("x", dtype, ["batch", 7]);
    const y = input("y", dtype, ["batch", 3]);
    let layers: ReturnType<typeof functionalCall>["layers"] = [];
    const [[loss], pullback] = tappedVjp((params) => {
      const call = functionalCall(model, x, leaves.withParameters(params));
      layers = call.layers;
      return [new MSELoss().value(call.output, y)];
    }, leaves.parameters);
    expect(layers.map((l) => [l.name, l.label, l.kind, l.parameterNames])).toEqual([
      ["0", "0", "Linear", ["0.weight", "0.bias"]],
      ["2", "2", "Linear", ["2.weight", "2.bias"]],
      ["4", "4", "Linear", ["4.weight", "4.bias"]],
    ]);
    const { cotangents, layerInputs, layerOutputGradients } = pullback([broadcastTo(literal(1, loss.dtype), loss.shape)]);
    const weightGradients = ["0", "2", "4"].map((label) => matmul(swapLastAxes(layerOutputGradients[label]), layerInputs[label]));
    const program = makeProgram("taps", [x, y, ...leaves.values], [
      ...cotangents.map((value, i) => ({ name: `gradient ${i}`, value })),
      ...weightGradients.map((value, i) => ({ name: `from taps ${i}`, value })),
    ]);
    const run = await compileProgram(program, { runtime: "js" });
    const result = await run.run({ x: X, y: Y, ...Object.fromEntries(model.namedParameters()) });
    const gradient = Array.from({ length: 6 }, (_, i) => result[`gradient ${i}`]);
    assertAllClose(flat(gradient), golden.results.gradient.data, tolerance, "gradient");
    // The weight gradients from the taps equal the gradient's weight blocks.
    for (const [k, i] of [0, 2, 4].entries()) assertAllClose(result[`from taps ${k}`], gradient[i], { rtol: 1e-12, atol: 1e-16 }, `taps of layer ${i}`);
  });

  it("the loss-Hessian square root gives the fixture's GGN-vector product: J^T (c S S^T) J v", async () => {
    const model = fixtureModel();
    const loss = new MSELoss();
    const leaves = ModelInputs.of(model);
    const x = input("x", dtype, ["batch", 7]);
    const probes = leaves.parameters.map((p, i) => input(`v${i}`, p.dtype, p.shape));
    const forward = (params: Value[]) => [functionalCall(model, x, leaves.withParameters(params)).output];
    const [[output], [jv]] = jvp(forward, leaves.parameters, probes);
    const s = loss.hessianSqrt(output);                                    // [N, C, C]
    const column = reshape(jv, ["batch", 3, 1]);
    const hjv = mul(reshape(matmul(s, matmul(swapLastAxes(s), column)), ["batch", 3]), loss.batchScale(output));
    const ggnvp = vjp(forward, leaves.parameters)[1]([hjv]);
    const program = makeProgram("ggnvp", [x, ...leaves.values, ...probes], ggnvp.map((value, i) => ({ name: `ggnvp ${i}`, value })));
    const run = await compileProgram(program, { runtime: "js" });
    const v = golden.v.data;
    let offset = 0;
    const vFeeds = Object.fromEntries(model.parameters().map((p, i) => {
      const part = tensor(v.slice(offset, offset + p.size), { dtype, shape: p.shape });
      offset += p.size;
      return [`v${i}`, part];
    }));
    const result = await run.run({ x: X, ...Object.fromEntries(model.namedParameters()), ...vFeeds });
    assertAllClose(flat(Array.from({ length: 6 }, (_, i) => result[`ggnvp ${i}`])), golden.results.ggnvp.data, tolerance, "G v");
  });

  it("one compiled program serves new parameter values after loadStateDict", async () => {
    const model = fixtureModel();
    const compiled = await compileModel(model, { dtype, shape: ["batch", 7] }, { runtime: "js" });
    assertAllClose(await compiled.run(X), expectedOutputs, tolerance);
    const zeroed = model.stateDict();
    zeroed["4.weight"] = new Tensor(dtype, [3, 5]);
    model.loadStateDict(zeroed);
    const bias = model.stateDict()["4.bias"].toArray();
    const output = await compiled.run(X);
    expect(output.toNested()).toEqual(Array.from({ length: 8 }, () => bias));
  });
});

describe("traceModel: model and data that do not fit", () => {
  it.each([
    {
      name: "data with 6 features for Linear(7, 5)",
      model: () => new Sequential(new Linear(7, 5), new ReLU()),
      shape: ["batch", 6],
      error: ShapeError,
      message: 'Linear "0": expected input [..., 7], got float32 [batch, 6]',
    },
    {
      name: "a later layer that does not fit its predecessor",
      model: () => new Sequential(new Linear(7, 5), new ReLU(), new Linear(4, 3)),
      shape: ["batch", 7],
      error: ShapeError,
      message: 'Linear "2": expected input [..., 4], got float32 [batch, 5]',
    },
    {
      name: "images with 2 channels for Conv2d(3, ...)",
      model: () => new Sequential(new Conv2d(3, 4, 3)),
      shape: ["batch", 2, 8, 8],
      error: ShapeError,
      message: 'Conv2d "0": expected input [N, 3, H, W], got float32 [batch, 2, 8, 8]',
    },
    {
      name: "flat data for Conv2d",
      model: () => new Sequential(new Conv2d(3, 4, 3)),
      shape: ["batch", 3],
      error: ShapeError,
      message: 'Conv2d "0": expected input [N, 3, H, W], got float32 [batch, 3]',
    },
    {
      name: "a flattened size that does not fit the head",
      model: () => new Sequential(new Conv2d(1, 2, 3), new Flatten(), new Linear(50, 2)),
      shape: ["batch", 1, 6, 6],
      error: ShapeError,
      message: 'Linear "2": expected input [..., 50], got float32 [batch, 32]',
    },
    {
      name: "BatchNorm2d with other channels",
      model: () => new Sequential(new Conv2d(1, 2, 1), new BatchNorm2d(3)),
      shape: ["batch", 1, 4, 4],
      error: ShapeError,
      message: 'BatchNorm2d "1": expected input [N, 3, H, W], got float32 [batch, 2, 4, 4]',
    },
  ])("$name", ({ model, shape, error, message }) => {
    const trace = () => traceModel(model(), { dtype: "float32", shape });
    expect(trace).toThrow(error);
    expect(trace).toThrow(message);
  });

  it("float64 data for float32 parameters is a DTypeError naming the layer", () => {
    expect(() => traceModel(new Sequential(new Linear(2, 2)), { dtype, shape: ["batch", 2] })).toThrow(DTypeError);
    expect(() => traceModel(new Sequential(new Linear(2, 2)), { dtype, shape: ["batch", 2] })).toThrow('Linear "0": the input is float64 but the parameters are float32');
  });

  it("feeds check the data against the traced shape and dtype", () => {
    const traced = traceModel(fixtureModel(), { dtype, shape: ["batch", 7] });
    expect(() => traced.feeds(new Tensor(dtype, [4, 6]))).toThrow('feeds: "x" must have shape [batch, 7], got [4, 6]');
    expect(() => traced.feeds(new Tensor("float32", [4, 7]))).toThrow('feeds: "x" must be float64, got float32');
  });

  it("with checkFinite, NaN or infinite data is a ValueError naming the input and entry; without, it runs", async () => {
    const compiled = await compileModel(fixtureModel(), { dtype, shape: ["batch", 7] }, { runtime: "js" });
    const bad = X.clone();
    bad.data[1 * 7 + 2] = Number.NaN;
    await expect(compiled.run(bad, { checkFinite: true })).rejects.toThrow(ValueError);
    await expect(compiled.run(bad, { checkFinite: true })).rejects.toThrow('"x" has NaN at [1, 2]; expected finite values');
    bad.data[1 * 7 + 2] = Number.NEGATIVE_INFINITY;
    await expect(compiled.run(bad, { checkFinite: true })).rejects.toThrow('"x" has -Infinity at [1, 2]');
    const output = await compiled.run(bad);
    expect(output.shape).toEqual([8, 3]);
  });

  it("with checkFinite, a NaN parameter is named too", async () => {
    const model = fixtureModel();
    const state = model.stateDict();
    state["2.bias"].data[3] = Number.NaN;
    model.loadStateDict(state);
    const traced = traceModel(model, { dtype, shape: ["batch", 7] });
    expect(() => traced.feeds(X, { checkFinite: true })).toThrow('"2.bias" has NaN at [3]');
  });

  it("refuses a data name that is also a parameter name", () => {
    expect(() => traceModel(new Linear(2, 2), { dtype: "float32", shape: ["batch", 2] }, { dataName: "weight" })).toThrow('the data input name "weight" is also a parameter or buffer name');
  });
});

describe("traceModel: buffers, random draws, hooks", () => {
  it("BatchNorm2d in eval mode reads its running statistics as inputs (not the step count)", () => {
    const model = new Sequential(new Conv2d(1, 2, 1), new BatchNorm2d(2)).eval();
    const traced = traceModel(model, { dtype: "float32", shape: ["batch", 1, 3, 3] });
    expect(traced.program.inputs.map((v) => (v.source.kind === "input" ? v.source.name : "?"))).toEqual([
      "x", "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
    ]);
    expect(Object.keys(traced.feeds(new Tensor("float32", [2, 1, 3, 3])))).toEqual(["x", "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"]);
  });

  it("Dropout in training mode asks for a mask input, drawn by the generator given to feeds", () => {
    const model = new Sequential(new Linear(3, 4), new Dropout(0.5), new Linear(4, 1));
    const traced = traceModel(model, { dtype: "float32", shape: ["batch", 3] });
    expect(traced.inputs.randoms.map((r) => [r.name, r.value.toString()])).toEqual([["1.mask", "float32 [batch, 4]"]]);
    expect(traced.program.inputs.at(-1)).toBe(traced.inputs.randoms[0].value);
    const x = new Tensor("float32", [5, 3]);
    expect(() => traced.feeds(x)).toThrow('the program draws "1.mask" (float32 [batch, 4]); pass a generator');
    const a = traced.feeds(x, { generator: new Generator(1) })["1.mask"];
    const b = traced.feeds(x, { generator: new Generator(1) })["1.mask"];
    expect(a.shape).toEqual([5, 4]);
    expect(a.toArray()).toEqual(b.toArray());
    expect(traceModel(model.eval(), { dtype: "float32", shape: ["batch", 3] }).inputs.randoms).toEqual([]);
  });

  it("a layerOutput hook replaces a layer's output downstream", async () => {
    const model = fixtureModel();
    const compiled = await compileModel(model, { dtype, shape: ["batch", 7] }, {
      runtime: "js",
      hooks: { layerOutput: (record) => (record.name === "4" ? mul(record.output, 2) : undefined) },
    });
    assertAllClose((await compiled.run(X)).reshape([24]), expectedOutputs.toArray().map((v) => 2 * v), { rtol: 1e-12, atol: 0 });
  });

  it("taps mark parameterized layers unless turned off", () => {
    const tapsOf = (traced: ReturnType<typeof traceModel>) => traced.layers.flatMap((l) => [l.input, l.output]).filter((v) => v.source.kind === "apply" && v.source.primitive.name === "tap").length;
    const model = new Sequential(new Linear(2, 2), new ReLU(), new Linear(2, 1));
    expect(tapsOf(traceModel(model, { dtype: "float32", shape: ["batch", 2] }))).toBe(4);
    expect(tapsOf(traceModel(model, { dtype: "float32", shape: ["batch", 2] }, { hooks: { taps: false } }))).toBe(0);
    expect(traceModel(new Linear(2, 2), { dtype: "float32", shape: ["batch", 2] }).layers.map((l) => [l.name, l.label])).toEqual([["", "Linear"]]);
  });

  it("withParameters checks the replacement values", () => {
    const leaves = ModelInputs.of(new Linear(2, 3));
    expect(() => leaves.withParameters([leaves.parameters[0]])).toThrow("the model has 2 parameters, got 1 values");
    expect(() => leaves.withParameters([leaves.parameters[1], leaves.parameters[0]])).toThrow('withParameters: "weight" is float32 [3, 2], got float32 [3]');
  });

  it("tensors() gives the current parameters and used buffers, and refuses a model converted after tracing", () => {
    const model = new Sequential(new Conv2d(1, 2, 1, { dtype }), new BatchNorm2d(2, { dtype }).eval());
    const traced = traceModel(model, { dtype, shape: ["batch", 1, 2, 2] });
    expect(Object.keys(traced.inputs.tensors())).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"]);
    model.to("float32");
    expect(() => traced.inputs.tensors()).toThrow('"0.weight" is float32 [2, 1, 1, 1] in the model but float64 [2, 1, 1, 1] in the program; trace it again');
  });
});
