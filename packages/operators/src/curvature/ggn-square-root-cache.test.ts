// The GGN's cached square root (squareRootCache): products through R (Rᵀ V)
// equal the batched programs' (float64, 1e-10) on every test problem, the
// cache follows parameter changes, and "auto" builds it only when it pays.
import { Generator, ValueError } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { denseCurvature } from "./testing/dense-curvature.js";
import { GGNLinearOperator, type GGNOptions } from "./ggn-linear-operator.js";
import { PROBLEMS, cnnCrossEntropy } from "./testing/problems.js";

function ggnOf(problem: ReturnType<typeof cnnCrossEntropy>, options: GGNOptions): GGNLinearOperator<"float64"> {
  const names = problem.model.namedParameters().map(([name]) => name);
  return new GGNLinearOperator(problem.model, problem.loss, names, problem.batches, { runtime: "js", ...options });
}

describe.each(PROBLEMS.map((make) => [make().name, make] as const))("GGNLinearOperator squareRootCache: %s", (_, make) => {
  it("products with the cached square root equal the programs' and the dense GGN", async () => {
    const problem = make();
    const [cached, programs] = [ggnOf(problem, { squareRootCache: "always" }), ggnOf(problem, { squareRootCache: "never" })];
    const x = new Generator(5).normal([cached.shape[1], 3], { dtype: "float64" });
    const [a, b] = [await cached.matmat(x), await programs.matmat(x)];
    expect(cached.hasSquareRoot).toBe(true);
    expect(programs.hasSquareRoot).toBe(false);
    assertAllClose(a, b, { rtol: 1e-10, atol: 1e-12 }, "cached vs programs");
    assertAllClose(await cached.toDense(), (await denseCurvature(problem)).ggn, { rtol: 1e-10, atol: 1e-12 }, "cached vs dense GGN");
  });
});

describe("GGNLinearOperator squareRootCache policy", () => {
  it("rebuilds the rows when a parameter changes", async () => {
    const problem = cnnCrossEntropy();
    const ggn = ggnOf(problem, { squareRootCache: "always" });
    const x = new Generator(6).normal([ggn.shape[1], 2], { dtype: "float64" });
    const before = await ggn.matmat(x);
    const [, weight] = problem.model.namedParameters()[0];
    (weight.data as Float64Array)[0] += 0.5;
    const after = await ggn.matmat(x);
    assertAllClose(after, await ggnOf(problem, { squareRootCache: "never" }).matmat(x), { rtol: 1e-10, atol: 1e-12 }, "after the change");
    expect(Math.max(...Array.from(after.data, (v, i) => Math.abs(v - (before.data[i] as number))))).toBeGreaterThan(1e-6);
  });

  it('"auto" builds once the products asked for as many columns as the outputs per example, within the budget', async () => {
    const problem = cnnCrossEntropy();   // 3 classes: 3 outputs per example
    const ggn = ggnOf(problem, {});
    const v = new Generator(7).normal([ggn.shape[1], 1], { dtype: "float64" });
    await ggn.matmat(v);
    await ggn.matmat(v);
    expect(ggn.hasSquareRoot).toBe(false);
    await ggn.matmat(v);
    expect(ggn.hasSquareRoot).toBe(true);
    const tight = ggnOf(problem, { squareRootBudget: 100 });
    await tight.toDense();
    expect(tight.hasSquareRoot).toBe(false);
    const fisher = ggnOf(problem, { mcSamples: 2 });
    await fisher.toDense();
    expect(fisher.hasSquareRoot).toBe(false);
  });

  it("concurrent products (which share one build) agree with each other and the programs", async () => {
    const problem = cnnCrossEntropy();
    const ggn = ggnOf(problem, { squareRootCache: "always" });
    const x = new Generator(8).normal([ggn.shape[1], 2], { dtype: "float64" });
    const [a, b] = await Promise.all([ggn.matmat(x), ggn.matmat(x)]);
    assertAllClose(a, b, { rtol: 0, atol: 0 }, "two concurrent products");
    assertAllClose(a, await ggnOf(problem, { squareRootCache: "never" }).matmat(x), { rtol: 1e-10, atol: 1e-12 }, "vs programs");
  });

  it("rejects bad options, naming them", () => {
    const problem = cnnCrossEntropy();
    expect(() => ggnOf(problem, { squareRootCache: "sometimes" as never })).toThrow(ValueError);
    expect(() => ggnOf(problem, { squareRootCache: "sometimes" as never })).toThrow(/squareRootCache/);
    expect(() => ggnOf(problem, { squareRootCache: "always", mcSamples: 1 })).toThrow(/mcSamples/);
    expect(() => ggnOf(problem, { squareRootBudget: -1 })).toThrow(/squareRootBudget/);
  });
});
