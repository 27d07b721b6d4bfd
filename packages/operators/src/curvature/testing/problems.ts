// Small float64 problems for the dense-reference tests: a CNN with
// cross-entropy, an MLP whose outputs have several rows per example (so
// loss terms are not examples), and an MLP with BCE under sum reduction.
// Batches have unequal sizes, as curvlinops' test cases.
import { Generator, Tensor } from "@curv/tensor";
import {
  BCEWithLogitsLoss, Conv2d, CrossEntropyLoss, Flatten, Linear, MSELoss, Sequential, Sigmoid, Tanh,
} from "@curv/autodiff";
import type { DataBatch } from "../data-loop.js";
import type { CurvatureProblem } from "./dense-curvature.js";

export interface NamedProblem extends CurvatureProblem {
  readonly name: string;
}

function labels(generator: Generator, n: number, classes: number): Tensor<"int64"> {
  return generator.integers(0, classes, [n], "int64");
}

function batchesOf(sizes: readonly number[], draw: (n: number) => DataBatch): DataBatch[] {
  return sizes.map((n) => draw(n));
}

export function cnnCrossEntropy(): NamedProblem {
  const generator = new Generator(1);
  const model = new Sequential(new Conv2d(1, 2, 2, { generator, dtype: "float64" }), new Tanh(), new Flatten(), new Linear(8, 3, { generator, dtype: "float64" }));
  const batches = batchesOf([3, 2], (n) => [generator.normal([n, 1, 3, 3], { dtype: "float64" }), labels(generator, n, 3)]);
  return { name: "CNN + cross-entropy (mean)", model, loss: new CrossEntropyLoss(), batches };
}

export function sequenceMse(): NamedProblem {
  const generator = new Generator(2);
  const model = new Sequential(new Linear(4, 3, { generator, dtype: "float64" }), new Tanh(), new Linear(3, 2, { generator, dtype: "float64" }));
  const batches = batchesOf([3, 2], (n) => [generator.normal([n, 2, 4], { dtype: "float64" }), generator.normal([n, 2, 2], { dtype: "float64" })]);
  return { name: "MLP on [N, 2, 4] + MSE (mean), 2 loss terms per example", model, loss: new MSELoss(), batches };
}

export function mlpBceSum(): NamedProblem {
  const generator = new Generator(3);
  const model = new Sequential(new Linear(4, 3, { generator, dtype: "float64" }), new Sigmoid(), new Linear(3, 2, { generator, dtype: "float64" }));
  const batches = batchesOf([2, 3], (n) => [generator.normal([n, 4], { dtype: "float64" }), generator.uniform([n, 2], { dtype: "float64" })]);
  return { name: "MLP + BCE with soft labels (sum)", model, loss: new BCEWithLogitsLoss({ reduction: "sum" }), batches };
}

export function convSegmentation(): NamedProblem {
  const generator = new Generator(4);
  const model = new Sequential(new Conv2d(2, 3, 2, { generator, dtype: "float64" }), new Tanh(), new Conv2d(3, 3, 1, { generator, dtype: "float64" }));
  const batches = batchesOf([2, 1], (n) => [generator.normal([n, 2, 3, 3], { dtype: "float64" }), generator.integers(0, 3, [n, 2, 2], "int64")]);
  return { name: "CNN per-pixel cross-entropy [N, 3, 2, 2] (mean over positions)", model, loss: new CrossEntropyLoss(), batches };
}

export const PROBLEMS = [cnnCrossEntropy, sequenceMse, mlpBceSum, convSegmentation];
