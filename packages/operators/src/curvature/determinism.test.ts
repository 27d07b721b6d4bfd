// checkDeterministic (default on, as curvlinops): a model that draws random
// numbers (Dropout in training mode) is rejected at construction; data that
// change between passes are caught by comparing two passes' loss and
// gradient, shuffled batches by comparing two Jacobian products.
import { Generator, Tensor } from "@curv/tensor";
import { Dropout, Linear, MSELoss, Sequential, Tanh, type Module } from "@curv/autodiff";
import { describe, expect, it } from "vitest";
import { EFLinearOperator } from "./ef-linear-operator.js";
import { GGNDiagonalLinearOperator } from "./ggn-diagonal-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { JacobianLinearOperator } from "./jacobian-linear-operator.js";
import { NondeterministicModelError } from "./nondeterministic-model-error.js";
import { TransposedJacobianLinearOperator } from "./transposed-jacobian-linear-operator.js";
import type { DataBatch } from "./data-loop.js";

function dropoutModel(): Module {
  const generator = new Generator(11);
  return new Sequential(new Linear(3, 4, { generator, dtype: "float64" }), new Dropout(0.5), new Tanh(), new Linear(4, 2, { generator, dtype: "float64" }));
}

const generator = new Generator(12);
const batches: DataBatch[] = [3, 2].map((n) => [generator.normal([n, 3], { dtype: "float64" }), generator.normal([n, 2], { dtype: "float64" })]);
const loss = new MSELoss();
const names = ["0.weight", "0.bias", "3.weight", "3.bias"];
const options = { runtime: "js" } as const;
const v = new Tensor("float64", [26], Float64Array.from({ length: 26 }, (_, i) => Math.cos(i)));

const CONSTRUCTORS: [string, (model: Module) => unknown][] = [
  ["HessianLinearOperator", (model) => new HessianLinearOperator(model, loss, names, batches, options)],
  ["GGNLinearOperator", (model) => new GGNLinearOperator(model, loss, names, batches, options)],
  ["EFLinearOperator", (model) => new EFLinearOperator(model, loss, names, batches, options)],
  ["JacobianLinearOperator", (model) => new JacobianLinearOperator(model, names, batches, options)],
  ["TransposedJacobianLinearOperator", (model) => new TransposedJacobianLinearOperator(model, names, batches, options)],
];

describe("Dropout in training mode", () => {
  it.each(CONSTRUCTORS)("%s rejects it at construction, naming the layer and the way out", (_name, make) => {
    const attempt = () => make(dropoutModel());
    expect(attempt).toThrow(NondeterministicModelError);
    expect(attempt).toThrow(/Dropout\(p=0\.5\) at "1".*model\.eval\(\)/);
  });

  it("GGNDiagonalLinearOperator.compute rejects it even without checkDeterministic (it maps examples with vmap)", async () => {
    await expect(GGNDiagonalLinearOperator.compute(dropoutModel(), loss, names, batches, { ...options, checkDeterministic: false })).rejects.toThrow(NondeterministicModelError);
  });

  it("after model.eval() the operators run; with checkDeterministic: false the masks come from the seed, reproducibly", async () => {
    const model = dropoutModel();
    const random = new HessianLinearOperator(model, loss, names, batches, { ...options, checkDeterministic: false });
    const [first, second] = [await random.matvec(v), await random.matvec(v)];
    expect(second.toArray()).toEqual(first.toArray());
    model.eval();
    const fixed = await new HessianLinearOperator(model, loss, names, batches, options).matvec(v);
    expect(fixed.toArray()).not.toEqual(first.toArray());
  });
});

/** Data that differ on every pass (each pass adds a growing offset to X). */
function drifting(): Iterable<DataBatch> {
  let pass = 0;
  return {
    *[Symbol.iterator]() {
      pass++;
      for (const [X, y] of batches) {
        const moved = X.clone() as Tensor<"float64">;
        for (let i = 0; i < moved.size; i++) moved.data[i] += 0.1 * pass;
        yield [moved, y];
      }
    },
  };
}

/** The same batches in a different order on every pass. */
function shuffled(): Iterable<DataBatch> {
  let pass = 0;
  return {
    *[Symbol.iterator]() {
      pass++;
      yield* pass % 2 === 0 ? [...batches].reverse() : batches;
    },
  };
}

describe("data that change between passes", () => {
  it("two passes with different losses and gradients are caught", async () => {
    const model = dropoutModel().eval();
    const operator = new GGNLinearOperator(model, loss, names, drifting(), options);
    await expect(operator.matvec(v)).rejects.toThrow(NondeterministicModelError);
    await expect(new GGNLinearOperator(model, loss, names, drifting(), options).matvec(v)).rejects.toThrow(/two passes over the data gave different losses or gradients/);
    const unchecked = new GGNLinearOperator(model, loss, names, drifting(), { ...options, checkDeterministic: false });
    expect((await unchecked.matvec(v)).shape).toEqual([26]);
  });

  it("shuffled batches are caught by the Jacobian's two products", async () => {
    const model = dropoutModel().eval();
    const jacobian = new JacobianLinearOperator(model, names, shuffled(), options);
    await expect(jacobian.matvec(v)).rejects.toThrow(/two products with the same vector differ/);
  });
});
