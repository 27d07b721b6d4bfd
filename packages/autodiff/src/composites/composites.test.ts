import { avgPool2d as hostAvgPool2d, conv2d as hostConv2d, convTranspose2d as hostConvTranspose2d, Generator, maxPool2d as hostMaxPool2d, tensor, unfold as hostUnfold, type Tensor } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileFunction } from "../compile-function.js";
import { input } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import { conv2d, convTranspose2d, maxPool2d, maximum, reduceMax } from "../primitives/index.js";
import { jvp } from "../transforms/jvp.js";
import { grad } from "../transforms/vjp.js";
import { reduceSum } from "../primitives/reduce-sum.js";
import type { DerivativeCase } from "../testing/derivative-check.js";
import { checkJsFloat64, checkOrtFloat32, checkWebGpuParity } from "../testing/derivative-suite.js";
import { awayFromZero } from "../testing/primitive-rows.js";
import { abs, avgPool2d, crossEntropyWithLogits, logSoftmax, logSumExp, mean, pickClasses, relu, softmax, softplus, tanh, unfold } from "./index.js";

const real = (...shape: number[]) => ({ shape });
const labels = (classes: number, ...shape: number[]) => ({ shape, domain: "labels" as const, classes });

const ROWS: readonly DerivativeCase[] = [
  { name: "tanh", operands: [real(2, 3)], f: ([x]) => tanh(x) },
  { name: "relu", operands: [real(3, 4)], f: ([x]) => relu(x), draw: (g, dtype) => [awayFromZero(g, dtype, [3, 4])] },
  { name: "abs", operands: [real(3, 4)], f: ([x]) => abs(x), draw: (g, dtype) => [awayFromZero(g, dtype, [3, 4])] },
  { name: "softplus", operands: [real(2, 5)], f: ([x]) => softplus(x), draw: (g, dtype) => [g.normal([2, 5], { dtype, std: 4 })] },
  { name: "logSumExp", operands: [real(3, 4)], f: ([x]) => logSumExp(x, [1]) },
  { name: "logSoftmax", operands: [real(3, 5)], f: ([x]) => logSoftmax(x, 1) },
  { name: "softmax", operands: [real(3, 5)], f: ([x]) => softmax(x, 0) },
  { name: "mean", operands: [real(3, 4)], f: ([x]) => mean(x, [0]) },
  { name: "crossEntropyWithLogits (mean)", operands: [real(4, 5), labels(5, 4)], f: ([x, k]) => crossEntropyWithLogits(x, k) },
  { name: "crossEntropyWithLogits (sum)", operands: [real(4, 5), labels(5, 4)], f: ([x, k]) => crossEntropyWithLogits(x, k, "sum") },
  { name: "crossEntropyWithLogits (class axis 1 of [N, C, H, W])", operands: [real(2, 3, 2, 2), labels(3, 2, 2, 2)], f: ([x, k]) => crossEntropyWithLogits(x, k) },
  { name: "unfold", operands: [real(2, 2, 4, 4)], f: ([x]) => unfold(x, [2, 3], { padding: 1 }) },
  { name: "avgPool2d", operands: [real(2, 3, 4, 4)], f: ([x]) => avgPool2d(x, { kernelSize: 2 }) },
];

describe.each(ROWS)("$name", (row) => {
  it("js float64: JVP and HVP match finite differences; VJP is the JVP's transpose", () => checkJsFloat64(row));
  it("ort cpu float32: matches the float64 results of the same inputs", () => checkOrtFloat32(row));
  it("ort webgpu float32: matches ort cpu", () => checkWebGpuParity(row));
});

/** Runs `fn` on `js` over float64 inputs of the given values. */
async function evaluate(fn: (inputs: Record<string, Value>) => Record<string, Value>, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const specs = Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, { dtype: t.dtype, shape: t.shape }]));
  const f = await compileFunction(fn, specs, { runtime: "js" });
  const out = await f.run(feeds);
  await f.dispose();
  return out;
}

const f64 = (values: number[], shape = [values.length]) => tensor(values, { dtype: "float64", shape });
const points = [-40, -3, -0.5, 0, 0.25, 2, 40];

describe("composites against closed forms", () => {
  it("tanh and its derivative 1 - tanh^2", async () => {
    const { y, g } = await evaluate(({ x }) => ({ y: tanh(x), g: grad(([u]) => reduceSum(tanh(u)))([x])[0] }), { x: f64(points) });
    assertAllClose(y, points.map(Math.tanh), { rtol: 1e-14, atol: 1e-15 }, "tanh");
    assertAllClose(g, points.map((p) => 1 - Math.tanh(p) ** 2), { rtol: 1e-12, atol: 1e-15 }, "tanh'");
  });

  it("softplus is stable far from 0 and its derivative is the sigmoid (0.5 at 0)", async () => {
    const { y, g } = await evaluate(({ x }) => ({ y: softplus(x), g: grad(([u]) => reduceSum(softplus(u)))([x])[0] }), { x: f64(points) });
    // Without a log1p primitive, log(1 + e^-40) rounds to 0: the error stays below one ulp of 1.
    assertAllClose(y, points.map((p) => Math.max(p, 0) + Math.log1p(Math.exp(-Math.abs(p)))), { rtol: 1e-14, atol: 1.2e-16 }, "softplus");
    assertAllClose(g, points.map((p) => 1 / (1 + Math.exp(-p))), { rtol: 1e-14, atol: 1e-300 }, "softplus'");
  });

  it("relu's derivative at 0 is 0", async () => {
    const { g } = await evaluate(({ x }) => ({ g: grad(([u]) => reduceSum(relu(u)))([x])[0] }), { x: f64([-1, 0, 1]) });
    expect(g.toArray()).toEqual([0, 0, 1]);
  });

  it("logSoftmax, softmax, logSumExp and cross-entropy of large logits", async () => {
    const rows = [[1000, 1001, 999], [-2, 0.5, 3]];
    const logits = f64(rows.flat(), [2, 3]);
    const out = await evaluate(({ x, k }) => ({
      lsm: logSoftmax(x, 1), sm: softmax(x, 1), lse: logSumExp(x, [1]), ce: crossEntropyWithLogits(x, k), picked: pickClasses(x, k),
    }), { x: logits, k: tensor([2n, 0n]) });
    const lse = rows.map((r) => { const m = Math.max(...r); return m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)); });
    assertAllClose(out.lse, lse, { rtol: 1e-15 }, "logSumExp");
    assertAllClose(out.lsm.toArray(), rows.flatMap((r, i) => r.map((v) => v - lse[i])), { rtol: 1e-12, atol: 1e-14 }, "logSoftmax");
    assertAllClose(out.sm.toArray(), rows.flatMap((r, i) => r.map((v) => Math.exp(v - lse[i]))), { rtol: 1e-12, atol: 1e-300 }, "softmax");
    assertAllClose(out.picked, [999, -2], { rtol: 0 }, "pickClasses");
    expect(out.ce.item()).toBeCloseTo(((lse[0] - 999) + (lse[1] + 2)) / 2, 12);
  });

  it("pickClasses on [N, C, L] picks along axis 1 and checks the labels' shape", async () => {
    const scores = f64([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    const { picked } = await evaluate(({ s, k }) => ({ picked: pickClasses(s, k) }), { s: scores, k: tensor([[2n, 0n], [1n, 1n]]) });
    expect(picked.toNested()).toEqual([[5, 2], [9, 10]]);
    expect(() => pickClasses(input("s", "float64", [2, 3]), input("k", "int64", [2, 1]))).toThrow("labels [2, 1] must have the shape of scores [2, 3] without axis 1");
  });

  it("mean over a symbolic batch axis divides by the run-time batch size", async () => {
    const f = await compileFunction(({ x }) => ({ m: mean(x, [0]) }), { x: { dtype: "float64", shape: ["batch", 2] } }, { runtime: "js" });
    const { m } = await f.run({ x: f64([1, 2, 3, 4, 5, 6], [3, 2]) });
    assertAllClose(m, [3, 4], { rtol: 0 }, "mean");
    await f.dispose();
  });

  it("maximum and reduceMax split the derivative evenly where entries tie", async () => {
    const out = await evaluate(({ a, b, t }) => ({
      dmax: jvp(([u]) => [maximum(u, b)], [a], [t])[1][0],
      dreduce: jvp(([u]) => [reduceMax(u, [0])], [a], [t])[1][0],
    }), { a: f64([1, 1, 3]), b: f64([1, 2, 0]), t: f64([4, 8, 16]) });
    expect(out.dmax.toArray()).toEqual([2, 0, 16]);
    const tied = await evaluate(({ a, t }) => ({ d: jvp(([u]) => [reduceMax(u, [0])], [a], [t])[1][0] }), { a: f64([2, 1, 2]), t: f64([4, 100, 8]) });
    expect(tied.d.item()).toBe(6);
    expect(out.dreduce.item()).toBe(16);
  });
});

describe("convolution and pooling against the host kernels", () => {
  const g = new Generator(3);
  const x = g.normal([2, 4, 6, 5], { dtype: "float64" });
  const w = g.normal([6, 2, 3, 2], { dtype: "float64" });

  it("conv2d with stride, asymmetric padding, dilation and groups", async () => {
    const options = { stride: [2, 1] as [number, number], padding: [1, 0, 2, 1] as [number, number, number, number], dilation: [1, 2] as [number, number], groups: 2 };
    const { y } = await evaluate(({ x: u, w: k }) => ({ y: conv2d(u, k, options) }), { x, w });
    assertAllClose(y, hostConv2d(x, w, undefined, options), { rtol: 1e-13, atol: 1e-13 }, "conv2d");
  });

  it("convTranspose2d with output padding", async () => {
    const options = { stride: [2, 2] as [number, number], padding: [1, 1, 1, 1] as [number, number, number, number], groups: 2 };
    const y = g.normal([2, 6, 3, 3], { dtype: "float64" });
    const expected = hostConvTranspose2d(y, w, undefined, { ...options, outputPadding: [1, 0] });
    const out = await evaluate(({ y: u, w: k }) => ({ x: convTranspose2d(u, k, { ...options, outputSize: [expected.shape[2], expected.shape[3]] as [number, number] }) }), { y, w });
    assertAllClose(out.x, expected, { rtol: 1e-13, atol: 1e-13 }, "convTranspose2d");
  });

  it("maxPool2d, avgPool2d and unfold", async () => {
    const out = await evaluate(({ x: u }) => ({
      max: maxPool2d(u, { kernelSize: 3, stride: 2, padding: 1 }),
      avg: avgPool2d(u, { kernelSize: 2, padding: 1 }),
      cols: unfold(u, [2, 3], { stride: [1, 2], padding: [1, 0, 1, 0] }),
    }), { x });
    assertAllClose(out.max, hostMaxPool2d(x, { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1] }).values, { rtol: 0 }, "maxPool2d");
    assertAllClose(out.avg, hostAvgPool2d(x, { kernelSize: [2, 2], padding: [1, 1, 1, 1], countIncludePad: true }), { rtol: 1e-14, atol: 1e-15 }, "avgPool2d");
    assertAllClose(out.cols, hostUnfold(x, [2, 3], { stride: [1, 2], padding: [1, 0, 1, 0] }), { rtol: 0 }, "unfold");
  });
});
