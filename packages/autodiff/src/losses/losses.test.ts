import { DTypeError, Generator, ShapeError, Tensor, tensor, ValueError } from "@curv/tensor";
import { assertAllClose, finiteDifferenceJvp } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { compileFunction } from "../compile-function.js";
import { input } from "../core/leaves.js";
import type { InputSpec } from "../core/program.js";
import type { Value } from "../core/value.js";
import { lossHessianVectorProduct } from "../transforms/ggn.js";
import { grad } from "../transforms/vjp.js";
import { BCEWithLogitsLoss } from "./bce-with-logits-loss.js";
import { CrossEntropyLoss } from "./cross-entropy-loss.js";
import type { CurvatureLoss } from "./loss.js";
import { MSELoss } from "./mse-loss.js";

const dtype = "float64";
type TargetKind = "regression" | "classes" | "probabilities" | "binary";

interface LossCase {
  name: string;
  loss: CurvatureLoss;
  shape: number[];
  target: TargetKind;
}

const cases: LossCase[] = [
  { name: "MSE mean [3, 4]", loss: new MSELoss(), shape: [3, 4], target: "regression" },
  { name: "MSE sum [3, 4]", loss: new MSELoss({ reduction: "sum" }), shape: [3, 4], target: "regression" },
  { name: "MSE mean [2, 3, 2]", loss: new MSELoss(), shape: [2, 3, 2], target: "regression" },
  { name: "MSE mean [4] (1-D output)", loss: new MSELoss(), shape: [4], target: "regression" },
  { name: "CE mean, class indices [3, 4]", loss: new CrossEntropyLoss(), shape: [3, 4], target: "classes" },
  { name: "CE sum, class indices [3, 4]", loss: new CrossEntropyLoss({ reduction: "sum" }), shape: [3, 4], target: "classes" },
  { name: "CE mean, class indices [2, 3, 2, 2] (class axis 1)", loss: new CrossEntropyLoss(), shape: [2, 3, 2, 2], target: "classes" },
  { name: "CE mean, probabilities [3, 4]", loss: new CrossEntropyLoss(), shape: [3, 4], target: "probabilities" },
  { name: "CE mean, Cholesky square root [3, 4]", loss: new CrossEntropyLoss({ hessianSqrt: "cholesky" }), shape: [3, 4], target: "classes" },
  { name: "CE sum, Cholesky square root [2, 3, 2] (class axis 1)", loss: new CrossEntropyLoss({ reduction: "sum", hessianSqrt: "cholesky" }), shape: [2, 3, 2], target: "classes" },
  { name: "CE sum, probabilities [2, 3, 2]", loss: new CrossEntropyLoss({ reduction: "sum" }), shape: [2, 3, 2], target: "probabilities" },
  { name: "BCE mean [3, 4]", loss: new BCEWithLogitsLoss(), shape: [3, 4], target: "binary" },
  { name: "BCE sum [3, 4]", loss: new BCEWithLogitsLoss({ reduction: "sum" }), shape: [3, 4], target: "binary" },
  { name: "BCE mean [2, 2, 3]", loss: new BCEWithLogitsLoss(), shape: [2, 2, 3], target: "binary" },
];

const isCrossEntropy = (c: LossCase) => c.target === "classes" || c.target === "probabilities";
const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The class count and the positions per class vector: CE has classes on axis 1, MSE and BCE on the last axis (one for a 1-D output). */
function layout(c: LossCase): { n: number; classes: number; spatial: number } {
  const [n] = c.shape;
  if (isCrossEntropy(c)) return { n, classes: c.shape[1], spatial: product(c.shape.slice(2)) };
  return { n, classes: c.shape.length === 1 ? 1 : c.shape[c.shape.length - 1], spatial: 1 };
}

/** Flat output index of class `k` in row `r` (rows in the order hessianSqrt lays them out). */
function flatIndex(c: LossCase, r: number, k: number): number {
  const { classes, spatial } = layout(c);
  if (!isCrossEntropy(c)) return r * classes + k;
  const n = Math.floor(r / spatial);
  return (n * classes + k) * spatial + (r % spatial);
}

function drawCase(c: LossCase, generator: Generator): { output: Tensor<"float64">; target: Tensor } {
  const output = generator.normal(c.shape, { dtype });
  const { classes } = layout(c);
  switch (c.target) {
    case "regression":
      return { output, target: generator.normal(c.shape, { dtype }) };
    case "binary":
      return { output, target: generator.uniform(c.shape, { dtype }) };
    case "classes":
      return { output, target: generator.integers(0, classes, [c.shape[0], ...c.shape.slice(2)], "int64") };
    case "probabilities": {
      // Positive weights normalized over axis 1.
      const raw = generator.uniform(c.shape, { low: 0.1, high: 1, dtype });
      const { n, spatial } = layout(c);
      const data = raw.data as Float64Array;
      for (let i = 0; i < n; i++) {
        for (let d = 0; d < spatial; d++) {
          let total = 0;
          for (let k = 0; k < classes; k++) total += data[(i * classes + k) * spatial + d];
          for (let k = 0; k < classes; k++) data[(i * classes + k) * spatial + d] /= total;
        }
      }
      return { output, target: raw };
    }
  }
}

/** The loss by PyTorch's definitions, in plain loops. */
function closedForm(c: LossCase, output: Tensor, target: Tensor): number {
  const f = output.toArray();
  const t = target.toArray();
  const mean = c.loss.reduction === "mean";
  if (c.target === "regression") {
    const total = f.reduce((s, v, i) => s + (v - t[i]) ** 2, 0);
    return mean ? total / f.length : total;
  }
  if (c.target === "binary") {
    const total = f.reduce((s, v, i) => s + Math.max(v, 0) - v * t[i] + Math.log1p(Math.exp(-Math.abs(v))), 0);
    return mean ? total / f.length : total;
  }
  const { n, classes, spatial } = layout(c);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < spatial; d++) {
      const logits = Array.from({ length: classes }, (_, k) => f[(i * classes + k) * spatial + d]);
      const lse = Math.log(logits.reduce((s, v) => s + Math.exp(v), 0));
      if (c.target === "classes") total += lse - logits[t[i * spatial + d]];
      else total -= logits.reduce((s, v, k) => s + t[(i * classes + k) * spatial + d] * (v - lse), 0);
    }
  }
  return mean ? total / (n * spatial) : total;
}

function specs(c: LossCase, target: Tensor): Record<string, InputSpec> {
  return { f: { dtype, shape: c.shape }, target: { dtype: target.dtype, shape: target.shape } };
}

/** A basis vector of the output's shape. */
function unit(shape: number[], index: number): Tensor<"float64"> {
  const e = new Tensor("float64", shape);
  e.data[index] = 1;
  return e;
}

/** Columns `H e_i` stacked as a dense row-major matrix (H is symmetric). */
async function denseFromProducts(size: number, product: (e: number) => Promise<Tensor>): Promise<Tensor<"float64">> {
  const dense = new Tensor("float64", [size, size]);
  for (let i = 0; i < size; i++) {
    const column = (await product(i)).toArray();
    for (let j = 0; j < size; j++) dense.data[j * size + i] = column[j];
  }
  return dense;
}

/** `c * blockdiag(S S^T)` as a dense matrix in output order, from S `[...rows, C, C]`. */
function hessianFromSqrt(c: LossCase, s: Tensor, batchScale: number): Tensor<"float64"> {
  const size = product(c.shape);
  const { classes } = layout(c);
  const rows = s.size / (classes * classes);
  const sv = s.toArray();
  const dense = new Tensor("float64", [size, size]);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < classes; i++) {
      for (let j = 0; j < classes; j++) {
        let sum = 0;
        for (let l = 0; l < classes; l++) sum += sv[(r * classes + i) * classes + l] * sv[(r * classes + j) * classes + l];
        dense.data[flatIndex(c, r, i) * size + flatIndex(c, r, j)] = batchScale * sum;
      }
    }
  }
  return dense;
}

describe.each(cases)("$name", (c) => {
  const generator = new Generator(7);
  const { output, target } = drawCase(c, generator);
  const size = product(c.shape);
  const batchScale = c.loss.reduction === "mean" ? 1 / c.shape[0] : 1;

  it("value: PyTorch's closed form", async () => {
    const f = await compileFunction(({ f: o, target: t }) => c.loss.value(o, t), specs(c, target), { runtime: "js" });
    const { output: value } = await f.run({ f: output, target });
    expect(value.shape).toEqual([]);
    assertAllClose(value.reshape([1]), [closedForm(c, output, target)], { rtol: 1e-13, atol: 1e-15 });
  });

  it("gradient and Hessian with respect to the output: finite differences", async () => {
    const gradient = await compileFunction(({ f: o, target: t }) => grad(([x]) => c.loss.value(x, t))([o])[0], specs(c, target), { runtime: "js" });
    const value = await compileFunction(({ f: o, target: t }) => c.loss.value(o, t), specs(c, target), { runtime: "js" });
    const hessianProduct = await compileFunction(
      ({ f: o, target: t, u }) => lossHessianVectorProduct((x) => c.loss.value(x, t), o, u),
      { ...specs(c, target), u: { dtype, shape: c.shape } },
      { runtime: "js" },
    );
    const exactGradient = (await gradient.run({ f: output, target })).output;
    const fdGradient = new Tensor("float64", c.shape);
    for (let i = 0; i < size; i++) {
      const d = await finiteDifferenceJvp(async ([o]) => (await value.run({ f: o, target })).output, [output], [unit(c.shape, i)]);
      fdGradient.data[i] = d.item();
    }
    assertAllClose(exactGradient, fdGradient, { rtol: 1e-8, atol: 1e-10 }, "gradient");
    const exactHessian = await denseFromProducts(size, async (i) => (await hessianProduct.run({ f: output, target, u: unit(c.shape, i) })).output);
    const fdHessian = await denseFromProducts(size, (i) =>
      finiteDifferenceJvp(async ([o]) => (await gradient.run({ f: o, target })).output, [output], [unit(c.shape, i)]));
    assertAllClose(exactHessian, fdHessian, { rtol: 1e-7, atol: 1e-9 }, "Hessian");
  });

  it("hessianSqrt: c * blockdiag(S S^T) is the exact Hessian with respect to the output", async () => {
    const sqrtProgram = await compileFunction(({ f: o }) => c.loss.hessianSqrt(o), { f: { dtype, shape: c.shape } }, { runtime: "js" });
    const hessianProduct = await compileFunction(
      ({ f: o, target: t, u }) => lossHessianVectorProduct((x) => c.loss.value(x, t), o, u),
      { ...specs(c, target), u: { dtype, shape: c.shape } },
      { runtime: "js" },
    );
    const s = (await sqrtProgram.run({ f: output })).output;
    const { classes } = layout(c);
    expect(s.shape.slice(-2)).toEqual([classes, classes]);
    const exactHessian = await denseFromProducts(size, async (i) => (await hessianProduct.run({ f: output, target, u: unit(c.shape, i) })).output);
    assertAllClose(hessianFromSqrt(c, s, batchScale), exactHessian, { rtol: 1e-12, atol: 1e-14 }, "S S^T");
  });

  it("batchScale is 1/N under mean and 1 under sum, also for a symbolic batch", async () => {
    const f = await compileFunction(({ f: o }) => c.loss.batchScale(o), { f: { dtype, shape: ["batch", ...c.shape.slice(1)] } }, { runtime: "js" });
    expect((await f.run({ f: output })).output.item()).toBeCloseTo(batchScale, 15);
  });
});

describe.each(cases.filter((c) => c.target !== "probabilities"))("MC would-be gradients: $name", (c) => {
  const { output } = drawCase(c, new Generator(3));
  const { n } = layout(c);
  const perExample = product(c.shape) / n;

  async function sampledGradients(samples: number, seed: number): Promise<Tensor> {
    const noiseSpec = c.loss.noiseSpec({ dtype, shape: c.shape }, samples);
    const f = await compileFunction(({ f: o, noise }) => c.loss.sampledGradients(o, noise), { f: { dtype, shape: c.shape }, noise: noiseSpec }, { runtime: "js" });
    const noise = c.loss.drawNoise(new Generator(seed), c.shape, samples, dtype);
    expect(noise.shape).toEqual(noiseSpec.shape);
    return (await f.run({ f: output, noise })).output;
  }

  /** max |(1/M) sum_m g g^T - S S^T| over every example's block, relative to max |S S^T|. */
  async function relativeError(samples: number, seed: number): Promise<number> {
    const g = (await sampledGradients(samples, seed)).toArray();
    const sqrtProgram = await compileFunction(({ f: o }) => c.loss.hessianSqrt(o), { f: { dtype, shape: c.shape } }, { runtime: "js" });
    const exact = hessianFromSqrt(c, (await sqrtProgram.run({ f: output })).output, 1);
    const size = product(c.shape);
    let worst = 0;
    let scale = 0;
    for (let example = 0; example < n; example++) {
      for (let a = example * perExample; a < (example + 1) * perExample; a++) {
        for (let b = example * perExample; b < (example + 1) * perExample; b++) {
          let moment = 0;
          for (let m = 0; m < samples; m++) moment += g[m * size + a] * g[m * size + b];
          const h = exact.data[a * size + b];
          worst = Math.max(worst, Math.abs(moment / samples - h));
          scale = Math.max(scale, Math.abs(h));
        }
      }
    }
    return worst / scale;
  }

  it("their second moment converges to S S^T per example (M = 20000: within 4% of max |H|, and closer than with M = 200)", async () => {
    // Monte-Carlo error shrinks like 1/sqrt(M); 4% is about 3-4 standard errors at M = 20000 for these losses.
    const coarse = await relativeError(200, 11);
    const fine = await relativeError(20000, 12);
    expect(fine).toBeLessThan(0.04);
    expect(fine).toBeLessThan(coarse);
  });

  it("are reproducible for a seed and differ between seeds", async () => {
    const a = (await sampledGradients(3, 5)).toArray();
    const b = (await sampledGradients(3, 5)).toArray();
    const other = (await sampledGradients(3, 6)).toArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(other);
    expect(a.every(Number.isFinite)).toBe(true);
  });
});

describe("sampled classes (cross-entropy)", () => {
  it("follow the predictive distribution: class frequencies within 4 standard errors of softmax(f)", async () => {
    const loss = new CrossEntropyLoss({ reduction: "sum" });
    const logits = tensor([[2, 0, -1, 0.5]], { dtype });
    const samples = 20000;
    const f = await compileFunction(({ f: o, noise }) => loss.sampledGradients(o, noise), { f: { dtype, shape: [1, 4] }, noise: loss.noiseSpec({ dtype, shape: [1, 4] }, samples) }, { runtime: "js" });
    const g = (await f.run({ f: logits, noise: loss.drawNoise(new Generator(9), [1, 4], samples, dtype) })).output.toArray();
    const exp = logits.toArray().map(Math.exp);
    const p = exp.map((v) => v / exp.reduce((s, e) => s + e, 0));
    // g = p - onehot, so the sampled class is where g < 0 (exactly one per draw).
    const counts = [0, 0, 0, 0];
    for (let m = 0; m < samples; m++) {
      const row = g.slice(m * 4, m * 4 + 4).map((v, k) => p[k] - v);
      expect(row.filter((v) => Math.abs(v - 1) < 1e-12).length).toBe(1);
      counts[row.findIndex((v) => Math.abs(v - 1) < 1e-12)]++;
    }
    counts.forEach((count, k) => expect(Math.abs(count / samples - p[k])).toBeLessThan(4 * Math.sqrt((p[k] * (1 - p[k])) / samples)));
  });
});

describe("hand-computed values", () => {
  it.each([
    // MSE mean over N*C = 4 elements: (1 + 4 + 9 + 16) / 4.
    { name: "MSE mean", loss: new MSELoss(), output: [[1, 2], [3, 4]], target: tensor([[0, 0], [0, 0]], { dtype }), expected: 7.5 },
    { name: "MSE sum", loss: new MSELoss({ reduction: "sum" }), output: [[1, 2], [3, 4]], target: tensor([[0, 0], [0, 0]], { dtype }), expected: 30 },
    // Equal logits: -log(1/2) per example; mean over N = 2.
    { name: "CE mean, equal logits", loss: new CrossEntropyLoss(), output: [[0, 0], [5, 5]], target: tensor([0, 1], { dtype: "int64" }), expected: Math.LN2 },
    // log(e + e^2 + e^3) - 3 for class 2, labels as int32.
    { name: "CE sum, int32 labels", loss: new CrossEntropyLoss({ reduction: "sum" }), output: [[1, 2, 3]], target: tensor([2], { dtype: "int32" }), expected: Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3 },
    // BCE at logit 0: log 2 per element whatever the target.
    { name: "BCE mean at 0", loss: new BCEWithLogitsLoss(), output: [[0, 0, 0]], target: tensor([[0, 1, 0.5]], { dtype }), expected: Math.LN2 },
  ])("$name = $expected", async ({ loss, output, target, expected }) => {
    const o = tensor(output, { dtype });
    const f = await compileFunction(({ f: x, target: t }) => loss.value(x, t), { f: { dtype, shape: o.shape }, target: { dtype: target.dtype, shape: target.shape } }, { runtime: "js" });
    expect((await f.run({ f: o, target })).output.item()).toBeCloseTo(expected, 14);
  });
});

describe("loss errors", () => {
  const out = (shape: (number | string)[], type: "float64" | "int64" = dtype): Value => input("output", type, shape);
  it.each([
    { name: "MSE target of another shape", run: () => new MSELoss().value(out([3, 4]), out([3, 5])), error: ShapeError, message: "MSELoss: the target must have the output's shape [3, 4], got [3, 5]" },
    { name: "MSE target of another dtype", run: () => new MSELoss().value(out([3, 4]), input("t", "float32", [3, 4])), error: DTypeError, message: "must be float64 like the output" },
    { name: "CE labels of the wrong shape", run: () => new CrossEntropyLoss().value(out([3, 4]), input("y", "int64", [4])), error: ShapeError, message: "class-index targets for logits [3, 4] must be [3], got [4]" },
    { name: "CE spatial labels", run: () => new CrossEntropyLoss().value(out([2, 3, 5]), input("y", "int64", [2, 3])), error: ShapeError, message: "must be [2, 5], got [2, 3]" },
    { name: "CE probabilities of the wrong shape", run: () => new CrossEntropyLoss().value(out([3, 4]), input("y", dtype, [3, 3])), error: ShapeError, message: "probability targets must have the logits' shape" },
    { name: "CE of a 1-D output", run: () => new CrossEntropyLoss().hessianSqrt(out([4])), error: ShapeError, message: "needs at least 2 axes" },
    { name: "BCE of integer logits", run: () => new BCEWithLogitsLoss().hessianSqrt(out([4], "int64")), error: DTypeError, message: "must be float32 or float64" },
    { name: "reduction none", run: () => new MSELoss({ reduction: "none" as "mean" }), error: ValueError, message: 'reduction must be "mean" or "sum"' },
    { name: "zero samples", run: () => new BCEWithLogitsLoss().noiseSpec({ dtype, shape: [2, 2] }, 0), error: ValueError, message: "positive integer, got 0" },
    { name: "noise of the wrong shape", run: () => new CrossEntropyLoss().sampledGradients(out([3, 4]), input("u", dtype, [5, 3, 4])), error: ShapeError, message: "the noise must be [M, 3], got [5, 3, 4]" },
    { name: "a symbolic non-batch axis", run: () => new MSELoss().hessianSqrt(out(["batch", "classes"])), error: ShapeError, message: 'only the batch axis may be symbolic, got extent "classes"' },
  ])("$name", ({ run, error, message }) => {
    expect(run).toThrow(error);
    expect(run).toThrow(message);
  });
});

describe("CrossEntropyLoss hessianSqrt: \"cholesky\" (NNGeometry's Tanabe-Sagae factor)", () => {
  it("is lower triangular with a zero last column, and S Sᵀ = diag(p) - p pᵀ", async () => {
    const loss = new CrossEntropyLoss({ reduction: "sum", hessianSqrt: "cholesky" });
    const logits = new Generator(5).normal([3, 4], { dtype: "float64" });
    const f = await compileFunction(({ f: o }) => loss.hessianSqrt(o), { f: { dtype: "float64", shape: [3, 4] } }, { runtime: "js" });
    const s = (await f.run({ f: logits })).output;
    for (let n = 0; n < 3; n++) {
      const row = logits.toArray().slice(4 * n, 4 * n + 4);
      const top = Math.max(...row);
      const e = row.map((z) => Math.exp(z - top));
      const p = e.map((x) => x / e.reduce((a, b) => a + b, 0));
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          if (j > i || j === 3) expect(s.get(n, i, j)).toBe(0);
          let sst = 0;
          for (let k = 0; k < 4; k++) sst += s.get(n, i, k) * s.get(n, j, k);
          expect(sst).toBeCloseTo((i === j ? p[i] : 0) - p[i] * p[j], 14);
        }
      }
    }
  });

  it("rejects an unknown square root", () => {
    expect(() => new CrossEntropyLoss({ hessianSqrt: "qr" as never })).toThrow(/hessianSqrt must be "symmetric" or "cholesky", got "qr"/);
  });
});
