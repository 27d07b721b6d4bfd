// The README's example, run as written, with its gradient checked by finite differences.
import { Generator } from "@curv/tensor";
import { finiteDifferenceJvp, innerProduct } from "@curv/tensor/test";
import { expect, it } from "vitest";
import { add, compileFunction, hvp, matmul, mean, mul, sub, tanh, valueAndGrad, type Value } from "./index.js";

it("the README example runs on js and its gradient matches finite differences", async () => {
  const loss = ([w, b]: Value[], x: Value, y: Value) => {
    const residual = sub(add(matmul(tanh(x), w), b), y);
    return mean(mul(residual, residual));
  };

  const f = await compileFunction(
    ({ x, y, w, b, vw, vb }) => {
      const [value, [gw, gb]] = valueAndGrad((p) => loss(p, x, y))([w, b]);
      const [hw, hb] = hvp((p) => loss(p, x, y), [w, b], [vw, vb]);
      return { value, gw, gb, hw, hb };
    },
    {
      x: { dtype: "float64", shape: ["batch", 3] }, y: { dtype: "float64", shape: ["batch", 1] },
      w: { dtype: "float64", shape: [3, 1] }, b: { dtype: "float64", shape: [1] },
      vw: { dtype: "float64", shape: [3, 1] }, vb: { dtype: "float64", shape: [1] },
    },
    { runtime: "js" },
  );
  const g = new Generator(1);
  const draw = (shape: number[]) => g.normal(shape, { dtype: "float64" });
  const feeds = { x: draw([6, 3]), y: draw([6, 1]), w: draw([3, 1]), b: draw([1]), vw: draw([3, 1]), vb: draw([1]) };
  const { gw, gb } = await f.run(feeds);
  const derivative = await finiteDifferenceJvp(
    ([w, b]) => f.run({ ...feeds, w, b }).then((o) => o.value),
    [feeds.w, feeds.b],
    [feeds.vw, feeds.vb],
  );
  expect(innerProduct([gw, gb], [feeds.vw, feeds.vb])).toBeCloseTo(derivative.item(), 10);
  await f.dispose();
});
