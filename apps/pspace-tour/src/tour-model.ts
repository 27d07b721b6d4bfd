/** The tour's model and data: a small CNN on synthetic 8 x 8 images, 5 classes. */
import { Conv2d, Flatten, Linear, ReLU, Sequential, type Module } from "@curv/autodiff";
import { tensor, type Generator, type Tensor } from "@curv/tensor";

/** `Conv2d(1, 4, 3, pad 1), ReLU, Conv2d(4, 4, 3, stride 2, pad 1), ReLU, Flatten, Linear(64, 5)`: 513 parameters. */
export function tourCnn(generator: Generator): Module {
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1, generator, dtype: "float64" }),
    new ReLU(),
    new Conv2d(4, 4, 3, { stride: 2, padding: 1, generator, dtype: "float64" }),
    new ReLU(),
    new Flatten(),
    new Linear(64, 5, { generator, dtype: "float64" }),
  );
}

/**
 * A task: `numData` inputs of `inputShape`, uniform in [−1, 1), labelled by a
 * random linear teacher (`argmax T x`), in batches of `batchSize`. Two calls
 * give two tasks with different teachers.
 */
export function syntheticBatches(generator: Generator, { numData, batchSize, inputShape, numClasses }: { numData: number; batchSize: number; inputShape: readonly number[]; numClasses: number }): [Tensor, Tensor][] {
  const features = inputShape.reduce((a, b) => a * b, 1);
  const X = generator.uniform([numData, ...inputShape], { dtype: "float64", low: -1, high: 1 });
  const teacher = generator.normal([numClasses, features], { dtype: "float64" });
  const labels = Array.from({ length: numData }, (_, n) => {
    const scores = Array.from({ length: numClasses }, (_, k) => {
      let s = 0;
      for (let j = 0; j < features; j++) s += teacher.data[k * features + j] * X.data[n * features + j];
      return s;
    });
    return scores.indexOf(Math.max(...scores));
  });
  const y = tensor(labels, { dtype: "int64", shape: [numData] });
  const batches: [Tensor, Tensor][] = [];
  for (let start = 0; start < numData; start += batchSize) {
    const end = Math.min(numData, start + batchSize);
    batches.push([X.slice([start, end]), y.slice([start, end])]);
  }
  return batches;
}
