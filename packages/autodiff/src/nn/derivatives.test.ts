import { Generator, tensor, type Tensor } from "@curv/tensor";
import { assertAllClose, finiteDifferenceJvp } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileProgram } from "../compile-function.js";
import { input } from "../core/leaves.js";
import { makeProgram } from "../core/program.js";
import type { Value } from "../core/value.js";
import { BCEWithLogitsLoss } from "../losses/bce-with-logits-loss.js";
import { CrossEntropyLoss } from "../losses/cross-entropy-loss.js";
import type { CurvatureLoss } from "../losses/loss.js";
import { MSELoss } from "../losses/mse-loss.js";
import { hvp } from "../transforms/hvp.js";
import { valueAndGrad } from "../transforms/vjp.js";
import { Sigmoid, Tanh, ReLU } from "./activations.js";
import { BatchNorm2d } from "./batch-norm2d.js";
import { Conv2d } from "./conv2d.js";
import { Flatten } from "./flatten.js";
import { LayerNorm } from "./layer-norm.js";
import { Linear } from "./linear.js";
import { ModelInputs } from "./model-inputs.js";
import type { Module } from "./module.js";
import { AvgPool2d, MaxPool2d } from "./pooling.js";
import { Sequential } from "./sequential.js";
import { functionalCall } from "./trace-model.js";

const dtype = "float64";

interface ModelCase {
  name: string;
  make: (generator: Generator) => Module;
  inputShape: number[];
  loss: CurvatureLoss;
  target: (generator: Generator, outputShape: number[]) => Tensor;
}

const classes = (count: number) => (g: Generator, shape: number[]) => g.integers(0, count, [shape[0]], "int64");
const regression = (g: Generator, shape: number[]) => g.normal(shape, { dtype });

/** BatchNorm2d with non-trivial running statistics (eval) or batch statistics (train). */
function batchNorm(generator: Generator, channels: number, train: boolean): BatchNorm2d {
  const bn = new BatchNorm2d(channels, { dtype });
  bn.loadStateDict({
    weight: generator.normal([channels], { dtype }),
    bias: generator.normal([channels], { dtype }),
    running_mean: generator.normal([channels], { dtype }),
    running_var: generator.uniform([channels], { low: 0.5, high: 2, dtype }),
    num_batches_tracked: tensor([1], { dtype: "int64", shape: [] }),
  });
  return train ? bn.train() : bn.eval();
}

const cases: ModelCase[] = [
  {
    name: "CNN: Conv2d(stride 2, padding 1), Tanh, Conv2d('same', dilation 2, groups 2), AvgPool2d, Flatten, Linear; cross-entropy",
    make: (generator) => new Sequential(
      new Conv2d(2, 4, 3, { stride: 2, padding: 1, generator, dtype }), new Tanh(),
      new Conv2d(4, 4, 3, { padding: "same", dilation: 2, groups: 2, generator, dtype }),
      new AvgPool2d(2), new Flatten(), new Linear(16, 3, { generator, dtype }),
    ),
    inputShape: [3, 2, 8, 8],
    loss: new CrossEntropyLoss(),
    target: classes(3),
  },
  {
    name: "Conv2d, MaxPool2d(2, stride 1), Sigmoid, Flatten, Linear; BCE (sum)",
    make: (generator) => new Sequential(
      new Conv2d(1, 3, 2, { generator, dtype }), new MaxPool2d(2, { stride: 1 }), new Sigmoid(), new Flatten(), new Linear(27, 2, { generator, dtype }),
    ),
    inputShape: [2, 1, 5, 5],
    loss: new BCEWithLogitsLoss({ reduction: "sum" }),
    target: (g, shape) => g.uniform(shape, { dtype }),
  },
  {
    name: "Conv2d, BatchNorm2d (eval), ReLU, Flatten, Linear; MSE",
    make: (generator) => new Sequential(
      new Conv2d(2, 3, 1, { generator, dtype }), batchNorm(generator, 3, false), new Tanh(), new Flatten(), new Linear(12, 2, { generator, dtype }),
    ),
    inputShape: [3, 2, 2, 2],
    loss: new MSELoss(),
    target: regression,
  },
  {
    name: "Conv2d, BatchNorm2d (train: batch statistics), Flatten, Linear; MSE",
    make: (generator) => new Sequential(
      new Conv2d(2, 3, 1, { generator, dtype }), batchNorm(generator, 3, true), new Flatten(), new Linear(12, 2, { generator, dtype }),
    ),
    inputShape: [4, 2, 2, 2],
    loss: new MSELoss(),
    target: regression,
  },
  {
    name: "Linear, LayerNorm, Tanh, Linear without bias; MSE (sum)",
    make: (generator) => {
      const norm = new LayerNorm(6, { dtype });
      norm.loadStateDict({ weight: generator.normal([6], { dtype }), bias: generator.normal([6], { dtype }) });
      return new Sequential(new Linear(4, 6, { generator, dtype }), norm, new Tanh(), new Linear(6, 2, { generator, dtype, bias: false }));
    },
    inputShape: [3, 4],
    loss: new MSELoss({ reduction: "sum" }),
    target: regression,
  },
  {
    name: "MLP with ReLU; cross-entropy (sum)",
    make: (generator) => new Sequential(new Linear(5, 4, { generator, dtype }), new ReLU(), new Linear(4, 3, { generator, dtype })),
    inputShape: [4, 5],
    loss: new CrossEntropyLoss({ reduction: "sum" }),
    target: classes(3),
  },
];

describe.each(cases)("$name: gradient and H v with respect to the parameters vs finite differences (js, float64)", (c) => {
  it("match", async () => {
    const generator = new Generator(21);
    const model = c.make(generator);
    const leaves = ModelInputs.of(model);
    const x = input("x", dtype, ["batch", ...c.inputShape.slice(1)]);
    const forward = (params: Value[]) => functionalCall(model, x, leaves.withParameters(params)).output;
    const outputShape = [c.inputShape[0], ...(forward(leaves.parameters).shape.slice(1) as number[])];
    const targetTensor = c.target(generator, outputShape);
    const y = input("y", targetTensor.dtype, ["batch", ...targetTensor.shape.slice(1)]);
    const objective = (params: Value[]) => c.loss.value(forward(params), y);
    const probes = leaves.parameters.map((p, i) => input(`v${i}`, dtype, p.shape));
    const [loss, gradient] = valueAndGrad(objective)(leaves.parameters);
    const hessianProduct = hvp(objective, leaves.parameters, probes);
    const program = makeProgram("derivatives", [x, y, ...leaves.values, ...probes], [
      { name: "loss", value: loss },
      ...gradient.map((value, i) => ({ name: `g${i}`, value })),
      ...hessianProduct.map((value, i) => ({ name: `hv${i}`, value })),
    ]);
    const run = await compileProgram(program, { runtime: "js" });
    const names = leaves.parameterNames;
    const params = model.parameters();
    const v = params.map((p) => generator.normal(p.shape, { dtype }));
    const xTensor = generator.normal(c.inputShape, { dtype });
    const feeds = (ps: readonly Tensor[]) => ({
      ...leaves.tensors(),
      x: xTensor,
      y: targetTensor,
      ...Object.fromEntries(names.map((n, i) => [n, ps[i]])),
      ...Object.fromEntries(v.map((t, i) => [`v${i}`, t])),
    });
    const exact = await run.run(feeds(params));

    // <g, v> against the derivative of the loss along v.
    const directional = await finiteDifferenceJvp(async (ps) => (await run.run(feeds(ps), ["loss"])).loss, params, v);
    const gv = params.reduce((s, _, i) => s + exact[`g${i}`].toArray().reduce((t, g, j) => t + g * v[i].toArray()[j], 0), 0);
    assertAllClose([gv], [directional.item()], { rtol: 1e-8, atol: 1e-10 }, "<g, v>");

    // H v against the derivative of the gradient along v, parameter by parameter.
    for (let i = 0; i < params.length; i++) {
      const fd = await finiteDifferenceJvp(async (ps) => (await run.run(feeds(ps), [`g${i}`]))[`g${i}`], params, v);
      assertAllClose(exact[`hv${i}`], fd, { rtol: 1e-6, atol: 1e-8 }, `H v, ${names[i]}`);
    }
    expect(Number.isFinite(exact.loss.item())).toBe(true);
  });
});
