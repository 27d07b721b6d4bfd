import { Generator, Tensor } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileFunction } from "../compile-function.js";
import { mean, tanh } from "../composites/index.js";
import { literal } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { add, matmul, mul, sub, swapLastAxes, tapLayerInput, tapLayerOutput } from "../primitives/index.js";
import { tappedVjp } from "./taps.js";
import { grad } from "./vjp.js";

/** Two tapped layers: y1 = tanh(x W1 + b1), y2 = y1 W2, loss = mean((y2 - t)^2). */
function network([w1, b1, w2]: Value[], x: Value): Value {
  const h = tapLayerOutput(add(matmul(tapLayerInput(x, "0"), w1), b1), "0");
  return tapLayerOutput(matmul(tapLayerInput(tanh(h), "1"), w2), "1");
}
const loss = (p: Value[], x: Value, t: Value) => {
  const r = sub(network(p, x), t);
  return mean(mul(r, r));
};

const specs = {
  x: { dtype: "float64" as const, shape: ["batch", 3] }, t: { dtype: "float64" as const, shape: ["batch", 2] },
  w1: { dtype: "float64" as const, shape: [3, 4] }, b1: { dtype: "float64" as const, shape: [4] }, w2: { dtype: "float64" as const, shape: [4, 2] },
};

function taps({ x, t, w1, b1, w2 }: Record<string, Value>) {
  const [[value], pullback] = tappedVjp((p) => [loss(p, x, t)], [w1, b1, w2]);
  const { cotangents, layerInputs, layerOutputGradients } = pullback([literal(1, "float64")]);
  const [gw1, gb1, gw2] = grad((p) => loss(p, x, t))([w1, b1, w2]);
  return {
    value, gw1: cotangents[0], gb1: cotangents[1], gw2: cotangents[2], plain_gw1: gw1, plain_gb1: gb1, plain_gw2: gw2,
    a0: layerInputs["0"], a1: layerInputs["1"], g0: layerOutputGradients["0"], g1: layerOutputGradients["1"],
    // KFAC's identity: a layer's weight gradient is its input transposed times its output gradient.
    kfac_gw2: matmul(swapLastAxes(layerInputs["1"]), layerOutputGradients["1"]),
  };
}

describe("tappedVjp", () => {
  it("returns layer inputs and output gradients in closed form, in the pass that gives the parameter gradients", async () => {
    const f = await compileFunction(taps, specs, { runtime: "js" });
    const g = new Generator(4);
    const n = 5;
    const feeds = {
      x: g.normal([n, 3], { dtype: "float64" }), t: g.normal([n, 2], { dtype: "float64" }),
      w1: g.normal([3, 4], { dtype: "float64" }), b1: g.normal([4], { dtype: "float64" }), w2: g.normal([4, 2], { dtype: "float64" }),
    };
    const out = await f.run(feeds);
    // Closed forms on the host: h = x W1 + b1, a1 = tanh(h), y2 = a1 W2, dL/dy2 = 2 (y2 - t) / (n * 2), dL/dh = (dL/dy2 W2^T) * (1 - a1^2).
    const at = (m: Tensor, i: number, j: number) => m.get(i, j);
    const h = Array.from({ length: n }, (_, i) => Array.from({ length: 4 }, (_, j) => feeds.b1.get(j) + [0, 1, 2].reduce((s, k) => s + at(feeds.x, i, k) * at(feeds.w1, k, j), 0)));
    const a1 = h.map((row) => row.map(Math.tanh));
    const y2 = a1.map((row) => [0, 1].map((j) => row.reduce((s, v, k) => s + v * at(feeds.w2, k, j), 0)));
    const g1 = y2.map((row, i) => row.map((v, j) => (2 * (v - at(feeds.t, i, j))) / (n * 2)));
    const g0 = g1.map((row, i) => [0, 1, 2, 3].map((k) => row.reduce((s, v, j) => s + v * at(feeds.w2, k, j), 0) * (1 - a1[i][k] ** 2)));
    assertAllClose(out.a0, feeds.x, { rtol: 0 }, "input of layer 0");
    assertAllClose(out.a1.toArray(), a1.flat(), { rtol: 1e-14, atol: 1e-15 }, "input of layer 1");
    assertAllClose(out.g1.toArray(), g1.flat(), { rtol: 1e-13, atol: 1e-15 }, "gradient at layer 1's output");
    assertAllClose(out.g0.toArray(), g0.flat(), { rtol: 1e-12, atol: 1e-15 }, "gradient at layer 0's output");
    for (const name of ["gw1", "gb1", "gw2"]) assertAllClose(out[name], out[`plain_${name}`], { rtol: 1e-14, atol: 1e-16 }, name);
    assertAllClose(out.kfac_gw2, out.gw2, { rtol: 1e-13, atol: 1e-16 }, "A^T G = dL/dW2");
    // One forward pass: the tanh is computed once.
    expect(f.graph.nodes.filter((node) => node.op === "Sigmoid").length).toBe(1);
    await f.dispose();
  });

  it("rejects a label tapped twice as the same role", () => {
    const specsX = { x: { dtype: "float64" as const, shape: [2] } };
    expect(() => compileFunction(({ x }) => {
      const [[y]] = tappedVjp(([u]) => [add(tapLayerOutput(u, "a"), tapLayerOutput(mul(u, 2), "a"))], [x]);
      return { y };
    }, specsX)).toThrow('two different values are tapped as the output of layer "a"');
    expect(() => tapLayerInput(literal(1, "float64"), "")).toThrow("expected a non-empty layer label");
  });
});
