// Bad input gives a typed error that names the argument and says what was
// expected: unknown or repeated parameter names, empty data, wrong data
// shapes or dtypes, targets that do not fit the loss, bad options.
import { DTypeError, ShapeError, Tensor, ValueError, type CurvError } from "@curv/tensor";
import { CrossEntropyLoss, MSELoss } from "@curv/autodiff";
import { describe, expect, it } from "vitest";
import type { DataBatch } from "./data-loop.js";
import { GGNDiagonalLinearOperator } from "./ggn-diagonal-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { JacobianLinearOperator } from "./jacobian-linear-operator.js";
import { loadMlpMseFixture } from "./testing/mlp-mse-fixture.js";

const fixture = loadMlpMseFixture("nn modules", "float64");
const { model, names, batches } = fixture;
const loss = new MSELoss();
const options = { runtime: "js" } as const;
const f64 = (shape: number[]) => new Tensor("float64", shape);
const v = f64([88]);

type ErrorClass = new (...args: never[]) => CurvError;

/** Each case builds an operator and multiplies (construction errors surface as rejections too). */
const CASES: { what: string; run: () => Promise<unknown>; error: ErrorClass; message: RegExp }[] = [
  {
    what: "an unknown parameter name",
    run: async () => new HessianLinearOperator(model, loss, ["0.weight", "9.weight"], batches, options),
    error: ValueError,
    message: /params\[1\] = "9\.weight" is not a parameter of the model; its parameters are "0\.weight", "0\.bias"/,
  },
  { what: "a parameter named twice", run: async () => new HessianLinearOperator(model, loss, ["0.bias", "0.bias"], batches, options), error: ValueError, message: /names "0\.bias" twice/ },
  { what: "no parameters", run: async () => new GGNLinearOperator(model, loss, [], batches, options), error: ValueError, message: /params is empty/ },
  { what: "empty data", run: () => new HessianLinearOperator(model, loss, names, [], options).matvec(v), error: ValueError, message: /the data yielded no batches/ },
  {
    what: "X with the wrong number of features",
    run: () => new HessianLinearOperator(model, loss, names, [[f64([4, 6]), f64([4, 3])]], options).matvec(v),
    error: ShapeError,
    message: /the model does not accept X of shape \[batch, 6\]/,
  },
  {
    what: "a later batch of another shape",
    run: () => new HessianLinearOperator(model, loss, names, [batches[0], [f64([4, 8]), f64([4, 3])]], options).matvec(v),
    error: ShapeError,
    message: /batch 1: X has shape \[N, 8\], expected \[N, 7\] like batch 0/,
  },
  {
    what: "X and y with different numbers of rows",
    run: () => new HessianLinearOperator(model, loss, names, [[f64([4, 7]), f64([3, 3])]], options).matvec(v),
    error: ShapeError,
    message: /batch 0: X has 4 rows .* but y has 3/,
  },
  {
    what: "targets that do not fit the loss",
    run: () => new HessianLinearOperator(model, loss, names, [[f64([4, 7]), f64([4, 2])]], options).matvec(v),
    error: ShapeError,
    message: /y of shape \[batch, 2\] \(float64\) does not fit MSELoss/,
  },
  {
    what: "float targets for cross-entropy of another shape",
    run: () => new HessianLinearOperator(model, new CrossEntropyLoss(), names, [[f64([4, 7]), f64([4, 5])]], options).matvec(v),
    error: ShapeError,
    message: /does not fit CrossEntropyLoss/,
  },
  { what: "a batch that is not a pair", run: () => new HessianLinearOperator(model, loss, names, [[f64([4, 7])] as unknown as DataBatch], options).matvec(v), error: ValueError, message: /batch 0 must be an \[X, y\] pair/ },
  { what: "data that is not iterable", run: async () => new HessianLinearOperator(model, loss, names, 5 as never, options), error: ValueError, message: /data must be an array or an \(async\) iterable/ },
  { what: "a dtype other than the model's", run: async () => new HessianLinearOperator(model, loss, names, batches, { ...options, dtype: "float32" }), error: DTypeError, message: /model\.to\("float32"\)/ },
  { what: "a bad numData", run: async () => new HessianLinearOperator(model, loss, names, batches, { ...options, numData: 0 }), error: ValueError, message: /numData must be a positive integer, got 0/ },
  { what: "negative mcSamples", run: async () => new GGNLinearOperator(model, loss, names, batches, { ...options, mcSamples: -1 }), error: ValueError, message: /mcSamples must be 0 \(exact\) or a positive integer, got -1/ },
  { what: "negative mcSamples for the diagonal", run: () => GGNDiagonalLinearOperator.compute(model, loss, names, batches, { ...options, mcSamples: 1.5 }), error: ValueError, message: /mcSamples/ },
  {
    what: "a vector of the wrong length",
    run: () => new HessianLinearOperator(model, loss, names, batches, options).matvec(f64([87])),
    error: ShapeError,
    message: /matvec: v must have shape \[88\]/,
  },
  {
    what: "async data for a Jacobian (its shape needs N up front)",
    run: async () => new JacobianLinearOperator(model, names, (async function* () { yield* batches; })(), options),
    error: ValueError,
    message: /data must be an array or a synchronous iterable/,
  },
  {
    what: "a numData that does not match the Jacobian's data",
    run: () => new JacobianLinearOperator(model, names, batches, { ...options, numData: 6, checkDeterministic: false }).matvec(v),
    error: ValueError,
    message: /more than 6 examples \(numData\)/,
  },
];

describe("bad input", () => {
  it.each(CASES)("$what", async ({ run, error, message }) => {
    const attempt = run();
    await expect(attempt).rejects.toThrow(error);
    await expect(attempt).rejects.toThrow(message);
  });
});

it("a one-shot generator as data: the second pass finds no batches and says why", async () => {
  const oneShot = (function* () { yield* batches; })();
  const operator = new HessianLinearOperator(model, loss, names, oneShot, { ...options, numData: 8, checkDeterministic: false });
  await expect(operator.matvec(v)).rejects.toThrow(/yielded no batches; pass a non-empty array, or an iterable that yields the batches afresh/);
});
