/**
 * Batching: for every primitive row, K stacked copies in one run equal K
 * single runs, with only the vectors batched (the Hessian-vector product of
 * a matmat) and with every input batched (so each batch rule sees batched
 * operands in every position).
 */
import { Generator, stack, type Tensor } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileProgram } from "../compile-function.js";
import { input } from "../core/leaves.js";
import { topologicalOrder } from "../core/graph-walk.js";
import { trace } from "../core/program.js";
import { Value } from "../core/value.js";
import { matmul, reduceSum, mul, exp } from "../primitives/index.js";
import {
  batchedDerivativeProgram, derivativeInputSpecs, derivativeProgram, drawOperands, movingOperands, scaled,
} from "../testing/derivative-check.js";
import { PRIMITIVE_ROWS } from "../testing/primitive-rows.js";
import { batchValues, vmap } from "./batch.js";
import { hvp } from "./hvp.js";

const K = 3;

/** K independent draws of a case's feeds. */
function drawFeeds(row: (typeof PRIMITIVE_ROWS)[number]): Record<string, Tensor>[] {
  const generator = new Generator(11);
  const specs = derivativeInputSpecs(row, "float64");
  return Array.from({ length: K }, () => {
    const feeds: Record<string, Tensor> = {};
    drawOperands(row, "float64", generator).forEach((t, i) => (feeds[`x${i}`] = t));
    movingOperands(row).forEach((i) => (feeds[`v${i}`] = generator.normal(row.operands[i].shape, { dtype: "float64" })));
    feeds.w = generator.normal(specs.w.shape as number[], { dtype: "float64" });
    return feeds;
  });
}

const variants = [
  { name: "vectors batched", batched: (name: string) => name === "w" || name.startsWith("v") },
  { name: "every input batched", batched: () => true },
];

describe.each(PRIMITIVE_ROWS)("$name", (row) => {
  it.each(variants)("$name: one run of K equals K runs", async ({ batched }) => {
    const draws = drawFeeds(row);
    // Unbatched inputs are shared: every copy uses draw 0's.
    const perCopy = draws.map((feeds) => Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, batched(n) ? t : draws[0][n]])));
    const stacked = Object.fromEntries(Object.keys(draws[0]).map((n) => [n, batched(n) ? stack(perCopy.map((f) => f[n])) : draws[0][n]]));
    const [single, many] = await Promise.all([
      compileProgram(derivativeProgram(row, "float64"), { runtime: "js" }),
      compileProgram(batchedDerivativeProgram(row, "float64", K, batched), { runtime: "js" }),
    ]);
    const together = await many.run(stacked);
    for (let k = 0; k < K; k++) {
      const alone = await single.run(perCopy[k]);
      for (const name of Object.keys(alone)) {
        expect(together[name].shape).toEqual([K, ...alone[name].shape]);
        assertAllClose(together[name].slice(k), alone[name], scaled(alone[name], 1e-12, 1e-13), `${name}, copy ${k}`);
      }
    }
    await Promise.all([single.dispose(), many.dispose()]);
  });
});

describe("vmap", () => {
  it.each(["js", "ort"] as const)("%s float64: K Hessian-vector products of an MLP loss in one run equal K single runs", async (runtime) => {
    const loss = ([w1, w2]: Value[], x: Value) => reduceSum(mul(exp(matmul(matmul(x, w1), w2)), 0.5));
    const specs = {
      x: { dtype: "float64" as const, shape: ["batch", 3] },
      w1: { dtype: "float64" as const, shape: [3, 4] },
      w2: { dtype: "float64" as const, shape: [4, 2] },
      v1: { dtype: "float64" as const, shape: [K, 3, 4] },
      v2: { dtype: "float64" as const, shape: [K, 4, 2] },
    };
    const batchedProgram = await compileProgram(
      trace(({ x, w1, w2, v1, v2 }) => {
        const [h1, h2] = vmap(([a, b]) => hvp((p) => loss(p, x), [w1, w2], [a, b]), K, [true, true])([v1, v2]);
        return { h1, h2 };
      }, specs),
      { runtime },
    );
    const g = new Generator(5);
    const feeds = {
      x: g.normal([5, 3], { dtype: "float64", std: 0.3 }), w1: g.normal([3, 4], { dtype: "float64", std: 0.3 }),
      w2: g.normal([4, 2], { dtype: "float64", std: 0.3 }), v1: g.normal([K, 3, 4], { dtype: "float64" }), v2: g.normal([K, 4, 2], { dtype: "float64" }),
    };
    const singleProgram = await compileProgram(
      trace(({ x, w1, w2, v1, v2 }) => {
        const [h1, h2] = hvp((p) => loss(p, x), [w1, w2], [v1, v2]);
        return { h1, h2 };
      }, { ...specs, v1: { dtype: "float64", shape: [3, 4] }, v2: { dtype: "float64", shape: [4, 2] } }),
      { runtime },
    );
    const together = await batchedProgram.run(feeds);
    for (let k = 0; k < K; k++) {
      const alone = await singleProgram.run({ ...feeds, v1: feeds.v1.slice(k), v2: feeds.v2.slice(k) });
      assertAllClose(together.h1.slice(k), alone.h1, { rtol: 1e-12, atol: 1e-14 }, `h1[${k}]`);
      assertAllClose(together.h2.slice(k), alone.h2, { rtol: 1e-12, atol: 1e-14 }, `h2[${k}]`);
    }
    // The forward pass does not depend on the vectors: it stays unbatched and shared (the very node x @ w1 is in the program).
    const [x, w1] = batchedProgram.program.inputs;
    expect(topologicalOrder(batchedProgram.program.outputs.map((o) => o.value))).toContain(matmul(x, w1));
    await Promise.all([batchedProgram.dispose(), singleProgram.dispose()]);
  });

  it("rejects a batched argument without the leading axis, and mismatched flags", () => {
    const x = input("x", "float64", [2, 3]);
    expect(() => vmap(([a]) => [a], 3, [true])([x])).toThrow(/argument 0 must have a leading axis of extent 3, got \[2, 3\]/);
    expect(() => vmap(([a]) => [a], 3, [true, false])([x])).toThrow(/2 batched flags but 1 arguments/);
    expect(() => vmap(([a]) => [a], 0, [true])).toThrow(/size must be a positive integer/);
  });

  it("broadcasts outputs that do not depend on the batched inputs", () => {
    const x = input("x", "float64", [2]);
    const [y] = batchValues([exp(x)], new Map(), 4);
    expect(y.shape).toEqual([4, 2]);
    expect(y instanceof Value).toBe(true);
  });
});
