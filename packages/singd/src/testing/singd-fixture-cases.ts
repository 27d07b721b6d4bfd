/**
 * The SINGD fixtures (`readSingdMlpGolden`, `readSingdCnnGolden`) as curv objects: the MLP
 * with the fixture's initial parameters, its batches, and each run's SINGD
 * options camelCased.
 */
import { Conv2d, Flatten, Linear, ReLU, Sequential, Sigmoid, type Module } from "@curv/autodiff";
import { jsonTensor, readSingdCnnGolden, readSingdMlpGolden, readSingdSequenceGolden, type SingdMlpOptions } from "@curv/fixtures";
import { tensor, type FloatDType, type Tensor } from "@curv/tensor";
import type { SINGDOptions } from "../singd-options.js";

/** `Sequential(Linear(40,33), ReLU(), Linear(33,20), Sigmoid(), Linear(20,3))` with the fixture's `params0`, in `dtype`. */
export function singdMlpModel(dtype: FloatDType): Module {
  const model = new Sequential(
    new Linear(40, 33, { dtype }), new ReLU(), new Linear(33, 20, { dtype }), new Sigmoid(), new Linear(20, 3, { dtype }),
  );
  const golden = readSingdMlpGolden();
  model.loadStateDict(Object.fromEntries(Object.entries(golden.params0).map(([name, t]) => [name, jsonTensor(t, dtype)])));
  return model;
}

/** The fixture's four batches `[X, y]` (`y` int64 classes). */
export function singdMlpBatches(dtype: FloatDType): [Tensor, Tensor][] {
  return readSingdMlpGolden().batches.map((b) => [jsonTensor(b.X, dtype), tensor(b.y, { dtype: "int64" })]);
}

/** A fixture run's options (snake case) as {@link SINGDOptions}. */
export function singdOptionsOf(options: SingdMlpOptions): SINGDOptions {
  return {
    lr: options.lr, momentum: options.momentum, damping: options.damping, alpha1: options.alpha1, weightDecay: options.weight_decay,
    T: options.T, lossAverage: options.loss_average, lrCov: options.lr_cov, kfacApprox: options.kfac_approx, initGradScale: options.init_grad_scale,
    ...(options.structures === undefined ? {} : { structures: options.structures }),
    ...(options.kfac_like === undefined ? {} : { kfacLike: options.kfac_like }),
    ...(options.normalize_lr_cov === undefined ? {} : { normalizeLrCov: options.normalize_lr_cov }),
  };
}

/** The model's parameters as one flat float64 vector, in `namedParameters()` order. */
export function flatParameters(model: Module): Float64Array {
  const parts = model.namedParameters().map(([, t]) => Array.from(t.data as Float32Array | Float64Array));
  return Float64Array.from(parts.flat());
}

/** The fixture CNN `Sequential(Conv2d(2,4,3,stride=2,padding=1,groups=2), ReLU(), Conv2d(4,3,2,bias=False), Sigmoid(), Flatten(), Linear(27,5))` with its `params0`. */
export function singdCnnModel(dtype: FloatDType): Module {
  const model = new Sequential(
    new Conv2d(2, 4, 3, { stride: 2, padding: 1, groups: 2, dtype }), new ReLU(),
    new Conv2d(4, 3, 2, { bias: false, dtype }), new Sigmoid(), new Flatten(), new Linear(27, 5, { dtype }),
  );
  model.loadStateDict(Object.fromEntries(Object.entries(readSingdCnnGolden().params0).map(([name, t]) => [name, jsonTensor(t, dtype)])));
  return model;
}

/** The CNN fixture's three batches `[X, y]`. */
export function singdCnnBatches(dtype: FloatDType): [Tensor, Tensor][] {
  return readSingdCnnGolden().batches.map((b) => [jsonTensor(b.X, dtype), tensor(b.y, { dtype: "int64" })]);
}

/** The sequence fixture's `Sequential(Linear(5,6), ReLU(), Flatten(), Linear(18,4))` with its `params0`. */
export function singdSequenceModel(dtype: FloatDType): Module {
  const model = new Sequential(new Linear(5, 6, { dtype }), new ReLU(), new Flatten(), new Linear(18, 4, { dtype }));
  model.loadStateDict(Object.fromEntries(Object.entries(readSingdSequenceGolden().params0).map(([name, t]) => [name, jsonTensor(t, dtype)])));
  return model;
}

/** The sequence fixture's batches: X `[7, 3, 5]`, y classes. */
export function singdSequenceBatches(dtype: FloatDType): [Tensor, Tensor][] {
  return readSingdSequenceGolden().batches.map((b) => [jsonTensor(b.X, dtype), tensor(b.y, { dtype: "int64" })]);
}
