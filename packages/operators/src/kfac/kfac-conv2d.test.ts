// KFAC of a Conv2d layer against a dense reference built on the host: A from the input's patches
// (@curv/tensor's unfold kernel, channels first averaged over groups), G from the head's weights
// (the network after the convolution is linear, so the backpropagated seeds are W2ᵀ s), and
// kron(G, A) laid out for [W | b] by hand. Grosse & Martens (2016); Eschenhagen et al. (2023).
import { Conv2d, Flatten, Linear, MSELoss, Sequential, type Conv2dLayerOptions } from "@curv/autodiff";
import { Generator, Tensor, unfold } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import type { KFACApproximation } from "./kfac-options.js";

const [CIN, COUT, SIZE, CLASSES] = [4, 4, 5, 3];

interface ConvCase {
  name: string;
  kernel: number;
  layer: Conv2dLayerOptions;
  kfacApprox: KFACApproximation;
  separateWeightAndBias: boolean;
}

const CASES: ConvCase[] = [
  { name: "3x3, padding 1", kernel: 3, layer: { padding: 1 }, kfacApprox: "expand", separateWeightAndBias: false },
  { name: "stride 2, padding 1, reduce", kernel: 3, layer: { stride: 2, padding: 1 }, kfacApprox: "reduce", separateWeightAndBias: true },
  { name: "dilation 2, padding same", kernel: 2, layer: { dilation: 2, padding: "same" }, kfacApprox: "expand", separateWeightAndBias: true },
  { name: "groups 2, stride [2, 1], padding [1, 0]", kernel: 3, layer: { groups: 2, stride: [2, 1], padding: [1, 0] }, kfacApprox: "expand", separateWeightAndBias: false },
  { name: "groups 4 (depthwise), reduce", kernel: 2, layer: { groups: 4 }, kfacApprox: "reduce", separateWeightAndBias: false },
  { name: "no bias", kernel: 3, layer: { bias: false, stride: 2 }, kfacApprox: "expand", separateWeightAndBias: true },
];

/** `Σ_rows r rᵀ / divisor` of rows `[count, d]`. */
function moment(rows: number[][], divisor: number): number[][] {
  const d = rows[0].length;
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0) / divisor));
}

/** A from patches: `[N, c·k·k, L]` columns, channels averaged over groups first. */
function inputFactor(x: Tensor<"float64">, conv: Conv2d, approximation: KFACApproximation, withOnes: boolean): number[][] {
  const [n, channels, h, w] = x.shape;
  const perGroup = channels / conv.groups;
  const averaged = new Tensor("float64", [n, perGroup, h, w]);
  for (let b = 0; b < n; b++) for (let c = 0; c < perGroup; c++) for (let p = 0; p < h * w; p++) {
    let sum = 0;
    for (let g = 0; g < conv.groups; g++) sum += x.data[((b * channels) + g * perGroup + c) * h * w + p];
    averaged.data[(b * perGroup + c) * h * w + p] = sum / conv.groups;
  }
  const patches = unfold(averaged, conv.kernelSize, { stride: conv.stride, padding: conv.explicitPadding, dilation: conv.dilation });
  const [, d, l] = patches.shape;
  const column = (b: number, s: number) => [...Array.from({ length: d }, (_, i) => patches.data[(b * d + i) * l + s]), ...(withOnes ? [1] : [])];
  if (approximation === "expand") {
    return moment(Array.from({ length: n * l }, (_, r) => column(Math.floor(r / l), r % l)), n * l);
  }
  const means = Array.from({ length: n }, (_, b) => {
    const sum = column(b, 0).map(() => 0);
    for (let s = 0; s < l; s++) column(b, s).forEach((v, i) => (sum[i] += v / l));
    return sum;
  });
  return moment(means, n);
}

/** G: the seeds of MSE (mean) are √(2/C) e_c; through the linear head they are √(2/C) W2[c] as [C_out, L] maps. */
function gradientFactor(head: Tensor, locations: number, approximation: KFACApproximation): number[][] {
  const rows: number[][] = [];
  for (let c = 0; c < CLASSES; c++) {
    const seed = (i: number, s: number) => Math.sqrt(2 / CLASSES) * (head.data[c * COUT * locations + i * locations + s] as number);
    if (approximation === "expand") for (let s = 0; s < locations; s++) rows.push(Array.from({ length: COUT }, (_, i) => seed(i, s)));
    else rows.push(Array.from({ length: COUT }, (_, i) => Array.from({ length: locations }, (_, s) => seed(i, s)).reduce((a, b) => a + b, 0)));
  }
  // Every example backpropagates the same seeds (the head is linear), so the mean over examples is one example's sum.
  return moment(rows, 1);
}

/** The dense matrix over [weight (flattened), bias]: kron(G, A) of [W | b] row-major, or separate blocks. */
function kfacReference(g: number[][], a: number[][], weightColumns: number, bias: boolean, separate: boolean): Tensor<"float64"> {
  const size = COUT * weightColumns + (bias ? COUT : 0);
  const out = new Tensor("float64", [size, size]);
  // Position in parameter order of entry (i, j) of [W | b] (j = weightColumns is the bias).
  const at = (i: number, j: number) => (j < weightColumns ? i * weightColumns + j : COUT * weightColumns + i);
  const joint = bias && !separate;
  const columns = joint ? weightColumns + 1 : weightColumns;
  for (let i = 0; i < COUT; i++) for (let j = 0; j < columns; j++) for (let k = 0; k < COUT; k++) for (let l = 0; l < columns; l++) {
    out.data[at(i, j) * size + at(k, l)] = g[i][k] * a[j][l];
  }
  if (bias && separate) for (let i = 0; i < COUT; i++) for (let k = 0; k < COUT; k++) out.data[at(i, weightColumns) * size + at(k, weightColumns)] = g[i][k];
  return out;
}

/** The model (Conv2d, Flatten, Linear head), two batches, the conv's parameter names and the dense reference. */
function convProblem({ kernel, layer, kfacApprox, separateWeightAndBias }: ConvCase) {
  const generator = new Generator(11);
  const conv = new Conv2d(CIN, COUT, kernel, { ...layer, dtype: "float64", generator });
  const [oh, ow] = [0, 1].map((axis) => {
    const [before, after] = [conv.explicitPadding[axis], conv.explicitPadding[axis + 2]];
    return Math.floor((SIZE + before + after - conv.dilation[axis] * (conv.kernelSize[axis] - 1) - 1) / conv.stride[axis]) + 1;
  });
  const locations = oh * ow;
  const model = new Sequential(conv, new Flatten(), new Linear(COUT * locations, CLASSES, { dtype: "float64", generator }));
  const batches: [Tensor, Tensor][] = [2, 1].map((n) => [generator.normal([n, CIN, SIZE, SIZE], { dtype: "float64" }), generator.normal([n, CLASSES], { dtype: "float64" })]);
  const params = model.namedParameters().map(([name]) => name).filter((name) => name.startsWith("0."));

  const all = new Tensor("float64", [3, CIN, SIZE, SIZE]);
  all.data.set(batches[0][0].data as Float64Array);
  all.data.set(batches[1][0].data as Float64Array, batches[0][0].size);
  const a = inputFactor(all, conv, kfacApprox, conv.hasBias && !separateWeightAndBias);
  const g = gradientFactor(model.namedParameters().find(([n]) => n === "2.weight")![1], locations, kfacApprox);
  const expected = kfacReference(g, a, (CIN / conv.groups) * conv.kernelSize[0] * conv.kernelSize[1], conv.hasBias, separateWeightAndBias);
  return { model, batches, params, expected };
}

function expectClose(actual: Tensor, expected: Tensor, rtol: number): void {
  let largest = 0;
  for (const v of expected.data as Float64Array) largest = Math.max(largest, Math.abs(v));
  const report = compare(actual.data as ArrayLike<number>, expected.data as Float64Array, { rtol, atol: rtol * largest });
  expect(report.ok, report.message).toBe(true);
}

describe("KFAC of a Conv2d layer vs a dense reference from unfolded inputs (js, float64)", () => {
  it.each(CASES)("$name ($kfacApprox, separateWeightAndBias: $separateWeightAndBias)", async (c) => {
    const { model, batches, params, expected } = convProblem(c);
    const kfac = new KFACLinearOperator<"float64">(model, new MSELoss(), params, batches, { fisherType: "type-2", kfacApprox: c.kfacApprox, separateWeightAndBias: c.separateWeightAndBias, runtime: "js" });
    expectClose(await kfac.toDense(), expected, 1e-10);
  });
});

describe("KFAC of a Conv2d layer on ORT CPU in float32", () => {
  it.each(CASES.filter((c) => c.layer.groups !== undefined || c.layer.dilation !== undefined))("$name", async (c) => {
    const { model, batches, params, expected } = convProblem(c);
    model.to("float32");
    const batches32 = batches.map(([X, y]): [Tensor, Tensor] => [X.astype("float32"), y.astype("float32")]);
    const kfac = new KFACLinearOperator<"float32">(model, new MSELoss(), params, batches32, { fisherType: "type-2", kfacApprox: c.kfacApprox, separateWeightAndBias: c.separateWeightAndBias, runtime: "ort" });
    expectClose(await kfac.toDense(), expected, 1e-4);
  });
});
