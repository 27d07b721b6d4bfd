// Issue 15: bad numbers are named where they enter (which tensor, batch and
// entry), before the determinism check, and class labels are checked against
// the model's classes, on js float64 and ORT CPU float32.
import { CrossEntropyLoss, MSELoss } from "@curv/autodiff";
import { Tensor, tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { ClassLabelError, NonFiniteValueError } from "./data-checks.js";
import { EFLinearOperator } from "./ef-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { KFACLinearOperator } from "../kfac/kfac-linear-operator.js";
import { NondeterministicModelError } from "./nondeterministic-model-error.js";
import { loadMlpMseFixture } from "./testing/mlp-mse-fixture.js";

const RUNTIMES = [["js", "float64"], ["ort", "float32"]] as const;

describe.each(RUNTIMES)("curvature data checks on %s (%s)", (runtime, dtype) => {
  const fixture = loadMlpMseFixture("nn modules", dtype);
  const { model, names, batches } = fixture;
  const options = { runtime, dtype } as const;
  const v = new Tensor(dtype, [88]);
  const withEntry = (batch: number, which: 0 | 1, entry: number, value: number) =>
    batches.map(([X, y], b) => {
      if (b !== batch) return [X, y] as [Tensor, Tensor];
      const copy = (which === 0 ? X : y).astype(dtype);
      (copy.data as Float64Array)[entry] = value;
      return (which === 0 ? [copy, y] : [X, copy]) as [Tensor, Tensor];
    });

  it.each([
    ["NaN in X of batch 1", withEntry(1, 0, 9, Number.NaN), /X of batch 1 has NaN at entry \[1, 2\] \(shape \[4, 7\]\)/],
    ["Infinity in y of batch 0", withEntry(0, 1, 4, Number.POSITIVE_INFINITY), /y of batch 0 has Infinity at entry \[1, 1\]/],
  ])("%s is a NonFiniteValueError naming it, not a non-determinism error", async (_, data, message) => {
    for (const operator of [
      new HessianLinearOperator(model, new MSELoss(), names, data, options),
      new GGNLinearOperator(model, new MSELoss(), names, data, options),
      new KFACLinearOperator(model, new MSELoss(), names, data, { ...options, fisherType: "type-2" }),
    ]) {
      const error = await operator.matvec(v).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NonFiniteValueError);
      expect(error).not.toBeInstanceOf(NondeterministicModelError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("a NaN parameter is named before any pass", async () => {
    const broken = loadMlpMseFixture("nn modules", dtype).model;
    const [name, parameter] = broken.namedParameters()[2];
    (parameter.data as Float64Array)[3] = Number.NaN;
    const error = await new EFLinearOperator(broken, new MSELoss(), names, batches, options).matvec(v).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteValueError);
    expect((error as Error).message).toMatch(new RegExp(`the parameter ${name.replace(".", "\\.")} has NaN at entry`));
  });

  it.each([
    [[0, 1, 2, 3], "3", "[3]"],
    [[0, -1, 2, 1], "-1", "[1]"],
    [[0, 1, -100, 1], "-100", "[2]"],
  ])("labels %j with 3 classes: a ClassLabelError naming label %s at entry %s", async (labels, label, entry) => {
    const data = batches.map(([X]) => [X, new Tensor("int64", [4], BigInt64Array.from(labels.map(BigInt)))] as [Tensor, Tensor]);
    const error = await new GGNLinearOperator(model, new CrossEntropyLoss(), names, data, options).matvec(v).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClassLabelError);
    expect((error as Error).message).toContain(`y of batch 0 has class label ${label} at entry ${entry}, but the model's output has 3 classes`);
  });

  it("int32 labels give the int64 labels' GGN", async () => {
    const labels = [2, 0, 1, 1];
    const as64 = batches.map(([X]) => [X, new Tensor("int64", [4], BigInt64Array.from(labels.map(BigInt)))] as [Tensor, Tensor]);
    const as32 = batches.map(([X]) => [X, tensor(labels, { dtype: "int32" })] as [Tensor, Tensor]);
    const probe = new Tensor(dtype, [88], (dtype === "float64" ? new Float64Array(88) : new Float32Array(88)).fill(1));
    const [a, b] = await Promise.all([as64, as32].map((data) => new GGNLinearOperator(model, new CrossEntropyLoss(), names, data, options).matvec(probe)));
    expect(Array.from(b.data as Float64Array)).toEqual(Array.from(a.data as Float64Array));
  });
});
