// SGD and AdamW against torch.optim's own trajectories (fixtures/optim-baselines):
// the same tiny CNN, initial weights, batches and hyper-parameters, five steps.
import { describe, expect, it } from "vitest";
import { tensor, type FloatDType } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { Conv2d, CrossEntropyLoss, Flatten, Linear, ReLU, Sequential } from "@curv/autodiff";
import { jsonTensor, readOptimBaselinesGolden, type OptimBaselinesRun } from "@curv/fixtures";
import { AdamW } from "./adamw.js";
import { SGD } from "./sgd.js";
import type { FirstOrderOptimizer } from "./first-order-optimizer.js";

const golden = readOptimBaselinesGolden();

function tinyCnn(dtype: FloatDType) {
  const model = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(), new Linear(32, 3)).to(dtype);
  model.loadStateDict(Object.fromEntries(Object.entries(golden.initial).map(([name, t]) => [name, jsonTensor(t, dtype)])));
  return model;
}

function optimizerFor(run: OptimBaselinesRun, dtype: FloatDType, runtime: "js" | "ort"): FirstOrderOptimizer {
  const o = run.options as Record<string, number & boolean & [number, number]>;
    const model = tinyCnn(dtype);
  const loss = new CrossEntropyLoss();
  if (run.optimizer === "SGD") {
    return new SGD(model, loss, { lr: o.lr, momentum: o.momentum, dampening: o.dampening, weightDecay: o.weight_decay, nesterov: o.nesterov, runtime });
  }
  return new AdamW(model, loss, { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay, amsgrad: o.amsgrad, runtime });
}

const cases = [
  { runtime: "js", dtype: "float64", tolerance: { rtol: 1e-10, atol: 1e-12 } },
  { runtime: "ort", dtype: "float32", tolerance: { rtol: 1e-4, atol: 1e-5 } },
] as const;

describe.each(cases)("baselines against torch.optim ($runtime, $dtype)", ({ runtime, dtype, tolerance }) => {
  it.each(golden.runs.map((run) => [run.name, run] as const))("%s: every step's loss and parameters", async (_, run) => {
    const optimizer = optimizerFor(run, dtype, runtime);
    for (let t = 0; t < golden.steps; t++) {
      const batch = golden.batches[t % golden.batches.length];
      const X = jsonTensor(batch.X, dtype);
      const y = tensor(batch.y, { dtype: "int64" });
      const loss = await optimizer.step([X, y]);
      expect(Math.abs(loss - run.losses[t])).toBeLessThanOrEqual(tolerance.atol + tolerance.rtol * Math.abs(run.losses[t]));
      for (const [name, p] of optimizer.model.namedParameters()) {
        assertAllClose(p, jsonTensor(run.parameters[t][name], dtype), tolerance, `${run.name} step ${t} ${name}`);
      }
    }
    expect(optimizer.steps).toBe(golden.steps);
    await optimizer.dispose();
  });
});
