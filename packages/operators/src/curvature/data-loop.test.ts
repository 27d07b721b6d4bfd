// The data loop: batches in order from arrays, iterables and async
// iterables, partials reduced in that order, batch sizes by batchSizeFn,
// every batch checked against the first; and how operators use it
// (N counted by a first pass unless numData is given, weights N_b / N).
import { DTypeError, ShapeError, Tensor, ValueError } from "@curv/tensor";
import { MSELoss } from "@curv/autodiff";
import { describe, expect, it } from "vitest";
import { SequentialDataLoop, type DataBatch, type DataSource } from "./data-loop.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { loadMlpMseFixture } from "./testing/mlp-mse-fixture.js";

const batch = (n: number, value: number): DataBatch => [new Tensor("float64", [n, 2]), new Tensor("float64", [n, 1], new Float64Array(n).fill(value))];
const sizes = [3, 1, 2];
const array = sizes.map((n, i) => batch(n, i));

const SOURCES: [string, () => DataSource][] = [
  ["an array", () => array],
  ["a re-iterable object", () => ({ *[Symbol.iterator]() { yield* array; } })],
  ["an async iterable", () => ({ async *[Symbol.asyncIterator]() { yield* array; } })],
];

describe.each(SOURCES)("SequentialDataLoop over %s", (_name, source) => {
  it("maps every batch and reduces in order, twice", async () => {
    const loop = new SequentialDataLoop(source());
    for (let pass = 0; pass < 2; pass++) {
      const seen = await loop.mapReduce(
        async (b) => `${b.index}:${b.size}:${b.y.data[0]}`,
        (all: string[], part) => [...all, part],
        [],
      );
      expect(seen).toEqual(["0:3:0", "1:1:1", "2:2:2"]);
    }
  });

  it("sizes batches with batchSizeFn", async () => {
    const loop = new SequentialDataLoop(source(), { batchSizeFn: (X) => 10 * X.shape[0] });
    expect(await loop.mapReduce(async (b) => b.size, (n, size) => n + size, 0)).toBe(60);
  });
});

describe("SequentialDataLoop checks", () => {
  const run = (data: DataSource) => new SequentialDataLoop(data, { label: "Op" }).mapReduce(async () => 0, (a) => a, 0);

  it.each([
    ["a dtype change", [batch(2, 0), [new Tensor("float32", [2, 2]), new Tensor("float64", [2, 1])]], DTypeError, /Op: batch 1: X is float32 but batch 0's X is float64/],
    ["a y shape change", [batch(2, 0), [new Tensor("float64", [2, 2]), new Tensor("float64", [2, 3])]], ShapeError, /batch 1: y has shape \[N, 3\], expected \[N, 1\] like batch 0/],
    ["a non-tensor X", [[[1, 2], new Tensor("float64", [1])]], ValueError, /batch 0: X must be a Tensor, got an array of length 2/],
    ["a zero batch size", [[new Tensor("float64", [0, 2]), new Tensor("float64", [0, 1])]], ValueError, /batch size must be a positive integer, got 0/],
  ] as const)("rejects %s", async (_what, data, error, message) => {
    await expect(run(data as unknown as DataSource)).rejects.toThrow(error);
    await expect(run(data as unknown as DataSource)).rejects.toThrow(message);
  });

  it("rejects a batchSizeFn that is not a function", () => {
    expect(() => new SequentialDataLoop(array, { batchSizeFn: 3 as never })).toThrow(/batchSizeFn must be a function/);
  });
});

describe("operators on the loop", () => {
  const fixture = loadMlpMseFixture("nn modules", "float64");
  const loss = new MSELoss();
  const options = { runtime: "js" } as const;

  it("count N with a first pass, or take numData (which then sets the weights N_b / N)", async () => {
    const counted = await new HessianLinearOperator(fixture.model, loss, fixture.names, fixture.batches, options).ready();
    expect(counted.numData).toBe(8);
    const given = new HessianLinearOperator(fixture.model, loss, fixture.names, fixture.batches, { ...options, numData: 16 });
    expect(given.numData).toBe(16);
    const [full, half] = [await counted.matvec(fixture.v), await given.matvec(fixture.v)];
    half.toArray().forEach((value, i) => expect(value).toBeCloseTo(full.data[i] / 2, 14));
  });

  it("give the same products for array, iterable and async iterable data", async () => {
    const products = [];
    const sources: DataSource[] = [
      fixture.batches,
      { *[Symbol.iterator]() { yield* fixture.batches; } },
      { async *[Symbol.asyncIterator]() { yield* fixture.batches; } },
    ];
    for (const data of sources) products.push((await new HessianLinearOperator(fixture.model, loss, fixture.names, data, options).matvec(fixture.v)).toArray());
    expect(products[1]).toEqual(products[0]);
    expect(products[2]).toEqual(products[0]);
  });

  it("convert float32 data to the operator's float64", async () => {
    const float32 = fixture.batches.map(([X, y]): DataBatch => [X.astype("float32"), y.astype("float32")]);
    const operator = new HessianLinearOperator(fixture.model, loss, fixture.names, float32, options);
    expect((await operator.matvec(fixture.v)).toArray()).toEqual((await new HessianLinearOperator(fixture.model, loss, fixture.names, fixture.batches, options).matvec(fixture.v)).toArray());
  });
});
