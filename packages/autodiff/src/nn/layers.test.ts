import {
  add, avgPool2d, batchNorm, conv2d, Generator, layerNorm, matmul, maxPool2d, mean, mul, relu, sigmoid, sub, tanh, tensor,
  type Tensor,
} from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { Identity, ReLU, Sigmoid, Tanh } from "./activations.js";
import { BatchNorm2d } from "./batch-norm2d.js";
import { compileModel } from "./compile-model.js";
import { Conv2d } from "./conv2d.js";
import { Dropout, dropoutMask } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { LayerNorm } from "./layer-norm.js";
import { Linear } from "./linear.js";
import type { Module } from "./module.js";
import { AvgPool2d, MaxPool2d } from "./pooling.js";

const dtype = "float64";
const generator = new Generator(11);
const param = (m: Module, name: string): Tensor<"float64"> => m.stateDict()[name] as Tensor<"float64">;

/** Runs `model` traced and compiled on a runtime (batch axis symbolic). */
async function forward(model: Module, x: Tensor, runtime: "js" | "ort" = "js"): Promise<Tensor> {
  const compiled = await compileModel(model, { dtype: x.dtype, shape: ["batch", ...x.shape.slice(1)] }, { runtime });
  try {
    return await compiled.run(x);
  } finally {
    await compiled.dispose();
  }
}

/** Normal data of `shape` from a fixed stream. */
const data = (shape: number[]): Tensor<"float64"> => generator.normal(shape, { dtype });

/** BatchNorm2d with non-trivial affine parameters and running statistics loaded. */
function loadedBatchNorm(channels: number): BatchNorm2d {
  const bn = new BatchNorm2d(channels, { dtype, eps: 1e-3 });
  bn.loadStateDict({
    weight: data([channels]),
    bias: data([channels]),
    running_mean: data([channels]),
    running_var: generator.uniform([channels], { low: 0.5, high: 2, dtype }),
    num_batches_tracked: tensor([7], { dtype: "int64", shape: [] }),
  });
  return bn;
}

const channelShaped = (t: Tensor<"float64">): Tensor<"float64"> => t.reshape([1, t.shape[0], 1, 1]);

interface LayerCase {
  name: string;
  make: () => Module;
  inputShape: number[];
  /** The expected output from host kernels (or by hand). */
  reference: (x: Tensor<"float64">, m: Module) => Tensor;
}

const conv = (options: ConstructorParameters<typeof Conv2d>[3], cin = 4, cout = 6, kernel: number | [number, number] = 3) => () =>
  new Conv2d(cin, cout, kernel, { generator, dtype, ...options });
const convReference = (padding: [number, number, number, number], stride: [number, number], dilation: [number, number], groups: number, bias = true) =>
  (x: Tensor<"float64">, m: Module) => conv2d(x, param(m, "weight"), bias ? param(m, "bias") : undefined, { padding, stride, dilation, groups });

const cases: LayerCase[] = [
  {
    name: "Linear: x W^T + b",
    make: () => new Linear(7, 5, { generator, dtype }),
    inputShape: [3, 7],
    reference: (x, m) => add(matmul(x, param(m, "weight").transpose()), param(m, "bias")),
  },
  {
    name: "Linear without bias on [N, S, in] (weights shared over S)",
    make: () => new Linear(4, 2, { generator, dtype, bias: false }),
    inputShape: [2, 3, 4],
    reference: (x, m) => matmul(x.reshape([6, 4]), param(m, "weight").transpose()).reshape([2, 3, 2]),
  },
  { name: "Conv2d 3x3, stride 1, no padding", make: conv({}), inputShape: [2, 4, 6, 5], reference: convReference([0, 0, 0, 0], [1, 1], [1, 1], 1) },
  { name: "Conv2d stride 2, padding 1", make: conv({ stride: 2, padding: 1 }), inputShape: [2, 4, 7, 6], reference: convReference([1, 1, 1, 1], [2, 2], [1, 1], 1) },
  { name: "Conv2d padding [2, 0], stride [1, 2]", make: conv({ stride: [1, 2], padding: [2, 0] }), inputShape: [1, 4, 5, 7], reference: convReference([2, 0, 2, 0], [1, 2], [1, 1], 1) },
  { name: "Conv2d 'same' (odd kernel)", make: conv({ padding: "same" }), inputShape: [2, 4, 5, 5], reference: convReference([1, 1, 1, 1], [1, 1], [1, 1], 1) },
  // Even kernel: PyTorch puts the odd padding at the bottom/right.
  { name: "Conv2d 'same' (kernel [2, 4])", make: conv({ padding: "same" }, 4, 6, [2, 4]), inputShape: [1, 4, 5, 6], reference: convReference([0, 1, 1, 2], [1, 1], [1, 1], 1) },
  { name: "Conv2d 'same' with dilation 2", make: conv({ padding: "same", dilation: 2 }), inputShape: [1, 4, 7, 6], reference: convReference([2, 2, 2, 2], [1, 1], [2, 2], 1) },
  { name: "Conv2d 'valid'", make: conv({ padding: "valid" }), inputShape: [2, 4, 5, 5], reference: convReference([0, 0, 0, 0], [1, 1], [1, 1], 1) },
  { name: "Conv2d dilation [2, 1]", make: conv({ dilation: [2, 1] }), inputShape: [1, 4, 8, 5], reference: convReference([0, 0, 0, 0], [1, 1], [2, 1], 1) },
  { name: "Conv2d groups 2, no bias", make: conv({ groups: 2, bias: false }), inputShape: [2, 4, 5, 5], reference: convReference([0, 0, 0, 0], [1, 1], [1, 1], 2, false) },
  { name: "Conv2d depthwise (groups = channels)", make: conv({ groups: 4, padding: 1 }, 4, 8), inputShape: [1, 4, 4, 4], reference: convReference([1, 1, 1, 1], [1, 1], [1, 1], 4) },
  { name: "ReLU", make: () => new ReLU(), inputShape: [3, 4], reference: (x) => relu(x) },
  { name: "Sigmoid", make: () => new Sigmoid(), inputShape: [3, 4], reference: (x) => sigmoid(x) },
  { name: "Tanh", make: () => new Tanh(), inputShape: [3, 4], reference: (x) => tanh(x) },
  { name: "Identity", make: () => new Identity(), inputShape: [3, 4], reference: (x) => x },
  { name: "Flatten (startDim 1)", make: () => new Flatten(), inputShape: [2, 3, 2, 2], reference: (x) => x.reshape([2, 12]) },
  { name: "Flatten (axes 2..3)", make: () => new Flatten(2, 3), inputShape: [2, 3, 2, 2], reference: (x) => x.reshape([2, 3, 4]) },
  { name: "MaxPool2d 2", make: () => new MaxPool2d(2), inputShape: [2, 3, 6, 5], reference: (x) => maxPool2d(x, { kernelSize: [2, 2], stride: [2, 2] }).values },
  {
    name: "MaxPool2d 3, stride 2, padding 1",
    make: () => new MaxPool2d(3, { stride: 2, padding: 1 }),
    inputShape: [1, 2, 7, 6],
    reference: (x) => maxPool2d(x, { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1] }).values,
  },
  { name: "AvgPool2d 2", make: () => new AvgPool2d(2), inputShape: [2, 3, 6, 4], reference: (x) => avgPool2d(x, { kernelSize: [2, 2], stride: [2, 2] }) },
  {
    name: "AvgPool2d 3, stride 1, padding 1 (padding counted)",
    make: () => new AvgPool2d(3, { stride: 1, padding: 1 }),
    inputShape: [1, 2, 4, 5],
    reference: (x) => avgPool2d(x, { kernelSize: [3, 3], stride: [1, 1], padding: [1, 1, 1, 1], countIncludePad: true }),
  },
  {
    name: "BatchNorm2d, eval: running statistics",
    make: () => loadedBatchNorm(3).eval(),
    inputShape: [2, 3, 4, 3],
    reference: (x, m) => batchNorm(x, param(m, "weight"), param(m, "bias"), param(m, "running_mean"), param(m, "running_var"), 1e-3),
  },
  {
    name: "BatchNorm2d, train: batch statistics (biased variance)",
    make: () => loadedBatchNorm(3),
    inputShape: [4, 3, 2, 3],
    reference: (x, m) => {
      const mu = mean(x, [0, 2, 3]);
      const centered = sub(x, channelShaped(mu));
      const variance = mean(mul(centered, centered), [0, 2, 3]);
      return batchNorm(x, param(m, "weight"), param(m, "bias"), mu, variance, 1e-3);
    },
  },
  {
    name: "LayerNorm over the last axis",
    make: () => {
      const ln = new LayerNorm(5, { dtype });
      ln.loadStateDict({ weight: data([5]), bias: data([5]) });
      return ln;
    },
    inputShape: [3, 2, 5],
    reference: (x, m) => layerNorm(x, param(m, "weight"), param(m, "bias"), -1, 1e-5),
  },
  {
    name: "LayerNorm over [C, H, W]",
    make: () => {
      const ln = new LayerNorm([2, 3, 2], { dtype, eps: 1e-2 });
      ln.loadStateDict({ weight: data([2, 3, 2]), bias: data([2, 3, 2]) });
      return ln;
    },
    inputShape: [3, 2, 3, 2],
    reference: (x, m) => layerNorm(x, param(m, "weight"), param(m, "bias"), 1, 1e-2),
  },
  { name: "Dropout, eval: identity", make: () => new Dropout(0.5).eval(), inputShape: [3, 4], reference: (x) => x },
];

describe("nn layers: forward against host kernels (js, float64)", () => {
  it.each(cases)("$name", async ({ make, inputShape, reference }) => {
    const model = make();
    const x = data(inputShape);
    const expected = reference(x, model);
    const actual = await forward(model, x);
    expect(actual.shape).toEqual(expected.shape);
    assertAllClose(actual, expected, { rtol: 1e-12, atol: 1e-12 }, model.toString());
  });

  it.each(cases)("on ORT CPU in float32: $name", async ({ make, inputShape, reference }) => {
    const model = make();
    const x = data(inputShape);
    const expected = reference(x, model);
    const actual = await forward(model.to("float32"), x.astype("float32"), "ort");
    assertAllClose(actual, expected, { rtol: 1e-4, atol: 1e-5 }, model.toString());
  });

  it("Conv2d adds the bias per output channel, checked by hand on a 1x1 convolution", async () => {
    const layer = new Conv2d(2, 2, 1, { dtype });
    layer.loadStateDict({ weight: tensor([[[[1]], [[2]]], [[[0]], [[-1]]]], { dtype }), bias: tensor([10, 20], { dtype }) });
    const x = tensor([[[[1, 2]], [[3, 4]]]], { dtype }); // [1, 2, 1, 2]
    const y = await forward(layer, x);
    // channel 0: 1*x0 + 2*x1 + 10; channel 1: -x1 + 20
    expect(y.toNested()).toEqual([[[[17, 20]], [[17, 16]]]]);
  });

  it("Dropout in training mode multiplies by the host-drawn mask of the seed", async () => {
    const layer = new Dropout(0.3);
    const x = data([4, 5]);
    const compiled = await compileModel(layer, { dtype, shape: ["batch", 5] }, { runtime: "js" });
    const y = await compiled.run(x, { generator: new Generator(5) });
    const mask = dropoutMask(new Generator(5), [4, 5], 0.3, dtype);
    assertAllClose(y, mul(x, mask as Tensor<"float64">), { rtol: 0, atol: 0 });
    const kept = mask.toArray().filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-15)).toBe(true);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(20);
  });

  it("dropoutMask keeps each entry with probability 1 - p (p = 0.25, 40000 draws: within 4 standard errors)", () => {
    const mask = dropoutMask(new Generator(1), [40000], 0.25, dtype).toArray();
    const keptFraction = mask.filter((v) => v !== 0).length / mask.length;
    const standardError = Math.sqrt((0.75 * 0.25) / mask.length);
    expect(Math.abs(keptFraction - 0.75)).toBeLessThan(4 * standardError);
    expect(dropoutMask(new Generator(1), [10], 1, dtype).toArray()).toEqual(new Array(10).fill(0));
  });
});

describe("Linear on a vector", () => {
  it("maps [in] to [out] as PyTorch does for unbatched input", async () => {
    const layer = new Linear(3, 2, { dtype });
    layer.loadStateDict({ weight: tensor([[1, 2, 3], [0, -1, 0]], { dtype }), bias: tensor([0.5, 1], { dtype }) });
    const compiled = await compileModel(layer, { dtype, shape: [3] }, { runtime: "js" });
    expect((await compiled.run(tensor([1, 1, 2], { dtype }))).toNested()).toEqual([9.5, 0]);
  });
});
