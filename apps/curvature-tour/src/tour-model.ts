/** The tour's network and data: the CNN and synthetic 5-class task of curvlinops' visual tour. */
import { Conv2d, Flatten, Linear, ReLU, Sequential, Sigmoid, type Module } from "@curv/autodiff";
import type { FloatDType, Generator, Tensor } from "@curv/tensor";

/**
 * The seed's CNN for `3 x 10 x 10` inputs and 5 classes, 683 parameters:
 * `Conv2d(3, 4, 3, padding=1), ReLU, Conv2d(4, 4, 5, padding=2, stride=2),
 * Sigmoid, Conv2d(4, 1, 3, padding=1), Flatten, Linear(25, 5)`. The second
 * convolution halves 10 x 10 to 5 x 5, so Flatten gives 25 features.
 */
export function tourCnn(generator: Generator, dtype: FloatDType = "float32"): Sequential {
  return new Sequential(
    new Conv2d(3, 4, 3, { padding: 1, generator, dtype }),
    new ReLU(),
    new Conv2d(4, 4, 5, { padding: 2, stride: 2, generator, dtype }),
    new Sigmoid(),
    new Conv2d(4, 1, 3, { padding: 1, generator, dtype }),
    new Flatten(),
    new Linear(25, 5, { generator, dtype }),
  );
}

/** Parameters per child of a `Sequential`, 0 for layers without any (the seed's `num_params_layer`). */
export function layerParameterCounts(model: Module): number[] {
  return model.children().map((child) => child.numParameters);
}

/** Options of {@link syntheticClassification}. */
export interface SyntheticClassificationOptions {
  readonly numData: number;
  readonly batchSize: number;
  /** Shape of one input, e.g. `[3, 10, 10]`. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly dtype?: FloatDType;
}

/**
 * The seed's data set: inputs uniform in [0, 1) and uniform class labels
 * (int64), cut into consecutive batches as a `DataLoader` without shuffling
 * (50 examples in batches of 20 give 20, 20, 10). Drawn from `generator`, so
 * a seed gives the same data every run (not PyTorch's numbers).
 */
export function syntheticClassification(generator: Generator, options: SyntheticClassificationOptions): [Tensor, Tensor][] {
  const { numData, batchSize, inputShape, numClasses, dtype = "float32" } = options;
  const X = generator.uniform([numData, ...inputShape], { dtype });
  const y = generator.integers(0, numClasses, [numData], "int64");
  const batches: [Tensor, Tensor][] = [];
  for (let start = 0; start < numData; start += batchSize) {
    const end = Math.min(numData, start + batchSize);
    batches.push([X.slice([start, end]), y.slice([start, end])]);
  }
  return batches;
}
