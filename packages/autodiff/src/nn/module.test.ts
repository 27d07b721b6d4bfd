import { CurvError, Generator, ShapeError, tensor, ValueError, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { ReLU, Sigmoid } from "./activations.js";
import { BatchNorm2d } from "./batch-norm2d.js";
import { Conv2d } from "./conv2d.js";
import { Dropout } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { LayerNorm } from "./layer-norm.js";
import { Linear } from "./linear.js";
import { Sequential } from "./sequential.js";

/** The fixture's model: Sequential(Linear(7,5), ReLU(), Linear(5,5), Sigmoid(), Linear(5,3)). */
function fixtureMlp(generator = new Generator(0)): Sequential {
  return new Sequential(
    new Linear(7, 5, { generator }), new ReLU(),
    new Linear(5, 5, { generator }), new Sigmoid(),
    new Linear(5, 3, { generator }),
  );
}

const shapes = (entries: [string, Tensor][]) => entries.map(([name, t]) => [name, [...t.shape]]);

describe("Module: names, order and shapes (PyTorch's)", () => {
  it("names the fixture MLP's parameters 0.weight ... 4.bias in named_parameters order with [out, in] weights", () => {
    const model = fixtureMlp();
    expect(shapes(model.namedParameters())).toEqual([
      ["0.weight", [5, 7]], ["0.bias", [5]],
      ["2.weight", [5, 5]], ["2.bias", [5]],
      ["4.weight", [3, 5]], ["4.bias", [3]],
    ]);
    expect(model.parameters().map((p) => p.size)).toEqual([35, 5, 25, 5, 15, 3]);
    expect(model.numParameters).toBe(88);
    expect(model.namedModules().map(([name, m]) => `${name}:${m.kind}`)).toEqual([
      ":Sequential", "0:Linear", "1:ReLU", "2:Linear", "3:Sigmoid", "4:Linear",
    ]);
  });

  it("orders a CNN's parameters, buffers and state dict as PyTorch does", () => {
    const generator = new Generator(1);
    const model = new Sequential(
      new Conv2d(3, 8, 3, { generator, groups: 1 }), new BatchNorm2d(8), new ReLU(),
      new Conv2d(8, 4, [3, 1], { generator, groups: 4, bias: false }), new Flatten(), new LayerNorm(4 * 2 * 4), new Linear(32, 2, { generator }),
    );
    expect(shapes(model.namedParameters())).toEqual([
      ["0.weight", [8, 3, 3, 3]], ["0.bias", [8]], ["1.weight", [8]], ["1.bias", [8]],
      ["3.weight", [4, 2, 3, 1]], ["5.weight", [32]], ["5.bias", [32]], ["6.weight", [2, 32]], ["6.bias", [2]],
    ]);
    expect(shapes(model.namedBuffers())).toEqual([["1.running_mean", [8]], ["1.running_var", [8]], ["1.num_batches_tracked", []]]);
    expect(Object.keys(model.stateDict())).toEqual([
      "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
      "3.weight", "5.weight", "5.bias", "6.weight", "6.bias",
    ]);
  });

  it("draws reproducible parameters from a seed and different ones from another seed", () => {
    const a = fixtureMlp(new Generator(3)).parameters().map((p) => p.toArray());
    const b = fixtureMlp(new Generator(3)).parameters().map((p) => p.toArray());
    const c = fixtureMlp(new Generator(4)).parameters().map((p) => p.toArray());
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(c[0]);
  });
});

describe("Module: modes", () => {
  it("train() and eval() reach every descendant", () => {
    const model = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.1), new ReLU()));
    expect(model.namedModules().every(([, m]) => m.training)).toBe(true);
    model.eval();
    expect(model.namedModules().every(([, m]) => !m.training)).toBe(true);
    model.train();
    expect(model.namedModules().every(([, m]) => m.training)).toBe(true);
  });

  it.each([
    { name: "no dropout, training", model: () => fixtureMlp(), eval: false, deterministic: true },
    { name: "nested dropout, training", model: () => new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.1))), eval: false, deterministic: false },
    { name: "nested dropout, eval", model: () => new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.1))), eval: true, deterministic: true },
    { name: "dropout with p = 0, training", model: () => new Sequential(new Dropout(0)), eval: false, deterministic: true },
  ])("isDeterministic: $name -> $deterministic", ({ model, eval: evaluate, deterministic }) => {
    const m = model();
    if (evaluate) m.eval();
    expect(m.isDeterministic).toBe(deterministic);
  });
});

describe("Module: state dicts", () => {
  it("round-trips a state dict into a fresh model (copies, not aliases)", () => {
    const source = fixtureMlp(new Generator(1));
    const target = fixtureMlp(new Generator(2));
    const state = source.stateDict();
    target.loadStateDict(state);
    expect(target.parameters().map((p) => p.toArray())).toEqual(source.parameters().map((p) => p.toArray()));
    (state["0.bias"].data as Float32Array)[0] = 123;
    expect(target.parameters()[1].toArray()[0]).not.toBe(123);
    expect(source.parameters()[1].toArray()[0]).not.toBe(123);
  });

  it("converts loaded tensors to the model's dtype, and to() converts the model", () => {
    const model = new Linear(2, 1);
    model.loadStateDict({ weight: tensor([[0.1, 0.2]], { dtype: "float64" }), bias: tensor([0.3], { dtype: "float64" }) });
    expect(model.parameters().map((p) => p.dtype)).toEqual(["float32", "float32"]);
    expect(model.parameters()[0].toArray()[0]).toBe(Math.fround(0.1));
    model.to("float64");
    expect(model.parameters().map((p) => p.dtype)).toEqual(["float64", "float64"]);
    const bn = new BatchNorm2d(2).to("float64");
    expect(bn.namedBuffers().map(([, b]) => b.dtype)).toEqual(["float64", "float64", "int64"]);
  });

  it("rejects missing and unexpected keys (strict), listing all of them, and changes nothing", () => {
    const model = fixtureMlp(new Generator(1));
    const before = model.parameters().map((p) => p.toArray());
    const state = fixtureMlp(new Generator(2)).stateDict();
    delete state["2.bias"];
    delete state["4.weight"];
    state["5.weight"] = tensor([1]);
    let error: unknown;
    try {
      model.loadStateDict(state);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValueError);
    expect((error as CurvError).message).toBe('loadStateDict (strict): missing keys: "2.bias", "4.weight"; unexpected keys: "5.weight"');
    expect(model.parameters().map((p) => p.toArray())).toEqual(before);
  });

  it("without strict, loads what matches and returns the rest", () => {
    const model = fixtureMlp(new Generator(1));
    const state = fixtureMlp(new Generator(2)).stateDict();
    const expected0 = state["0.weight"].toArray();
    delete state["2.bias"];
    state.extra = tensor([1]);
    const result = model.loadStateDict(state, { strict: false });
    expect(result).toEqual({ missingKeys: ["2.bias"], unexpectedKeys: ["extra"] });
    expect(model.parameters()[0].toArray()).toEqual(expected0);
  });

  it("rejects a shape mismatch with a ShapeError naming the key, and changes nothing (even the keys before it)", () => {
    const model = fixtureMlp(new Generator(1));
    const before = model.stateDict();
    const state = fixtureMlp(new Generator(2)).stateDict();
    state["4.weight"] = tensor(new Array(15).fill(0), { shape: [5, 3] });
    expect(() => model.loadStateDict(state)).toThrow(ShapeError);
    expect(() => model.loadStateDict(state)).toThrow('"4.weight" has shape [5, 3] in the state dict but [3, 5] in the model');
    const after = model.stateDict();
    for (const key of Object.keys(before)) expect(after[key].toArray()).toEqual(before[key].toArray());
  });

  it("rejects values that are not tensors", () => {
    const model = new Linear(2, 1);
    const state: Record<string, unknown> = { ...model.stateDict(), bias: [0.5] };
    expect(() => model.loadStateDict(state as Record<string, Tensor>)).toThrow('"bias" is not a Tensor');
  });

  it("loads BatchNorm2d buffers (running statistics, int64 step count) with the parameters", () => {
    const bn = new BatchNorm2d(2);
    bn.loadStateDict({
      weight: tensor([2, 3]), bias: tensor([0, 1]), running_mean: tensor([0.5, -0.5]), running_var: tensor([4, 9]),
      num_batches_tracked: tensor([12], { dtype: "int64", shape: [] }),
    });
    const state = bn.stateDict();
    expect(state.running_var.toArray()).toEqual([4, 9]);
    expect(state.num_batches_tracked.toArray()).toEqual([12]);
    expect(state.num_batches_tracked.dtype).toBe("int64");
  });
});

describe("Module: construction errors", () => {
  it.each([
    { name: "Linear with 0 inputs", make: () => new Linear(0, 2), message: "Linear: inFeatures must be a positive integer, got 0" },
    { name: "Conv2d channels not divisible by groups", make: () => new Conv2d(3, 4, 3, { groups: 2 }), message: "must be divisible by groups" },
    { name: "Conv2d 'same' with stride 2", make: () => new Conv2d(2, 2, 3, { padding: "same", stride: 2 }), message: 'padding "same" needs stride 1' },
    { name: "Conv2d bad kernel", make: () => new Conv2d(2, 2, [3, 0]), message: "kernelSize must be an integer >= 1" },
    { name: "Dropout p > 1", make: () => new Dropout(1.5), message: "Dropout: p must be a probability in [0, 1], got 1.5" },
    { name: "LayerNorm of no axes", make: () => new LayerNorm([]), message: "normalizedShape must have at least one extent" },
  ])("$name", ({ make, message }) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });
});
