// SGD and AdamW against a dense reference written from PyTorch's documented
// update rules, on a linear model whose MSE gradient has a closed form; and
// their bad-input errors.
import { describe, expect, it } from "vitest";
import { Generator, tensor, Tensor, ValueError, DTypeError, ShapeError } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { CrossEntropyLoss, Embedding, Linear, MSELoss, Sequential } from "@curv/autodiff";
import { AdamW } from "./adamw.js";
import { SGD } from "./sgd.js";

const [IN, OUT, N] = [4, 3, 6];

function linearModel() {
  return new Sequential(new Linear(IN, OUT, { generator: new Generator(1) })).to("float64");
}

function batches(): [Tensor, Tensor][] {
  const g = new Generator(2);
  return [0, 1, 2].map(() => [g.normal([N, IN]).astype("float64"), g.normal([N, OUT]).astype("float64")]);
}

/** θ = [W (row-major) | b]; the gradient of mean((X Wᵀ + b − Y)²) in closed form: (2 / (N·OUT)) [Rᵀ X | Σ_n R]. */
function closedFormGradient(theta: number[], X: Tensor, Y: Tensor): { loss: number; gradient: number[] } {
  const x = (n: number, i: number) => X.data[n * IN + i] as number;
  const gradient = new Array<number>(theta.length).fill(0);
  let loss = 0;
  const scale = 2 / (N * OUT);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < OUT; o++) {
      let r = theta[OUT * IN + o] - (Y.data[n * OUT + o] as number);
      for (let i = 0; i < IN; i++) r += theta[o * IN + i] * x(n, i);
      loss += (r * r) / (N * OUT);
      for (let i = 0; i < IN; i++) gradient[o * IN + i] += scale * r * x(n, i);
      gradient[OUT * IN + o] += scale * r;
    }
  }
  return { loss, gradient };
}

type Rule = (theta: number[], g: number[], t: number) => number[];

/** torch.optim.SGD's documented algorithm on whole vectors. */
function sgdRule({ lr, momentum, dampening, weightDecay, nesterov }: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean }): Rule {
  let b: number[] = [];
  return (theta, grad, t) => {
    let g = grad.map((gi, i) => gi + weightDecay * theta[i]);
    if (momentum !== 0) {
      b = t === 0 ? [...g] : b.map((bi, i) => momentum * bi + (1 - dampening) * g[i]);
      g = nesterov ? g.map((gi, i) => gi + momentum * b[i]) : [...b];
    }
    return theta.map((p, i) => p - lr * g[i]);
  };
}

/** torch.optim.AdamW's documented algorithm on whole vectors. */
function adamwRule({ lr, beta1, beta2, eps, weightDecay, amsgrad }: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; amsgrad: boolean }): Rule {
  let m: number[] = [];
  let v: number[] = [];
  let vMax: number[] = [];
  return (theta, g, t) => {
    const step = t + 1;
    if (t === 0) [m, v, vMax] = [g.map(() => 0), g.map(() => 0), g.map(() => 0)];
    const decayed = theta.map((p) => p - lr * weightDecay * p);
    m = m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]);
    v = v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i] ** 2);
    vMax = vMax.map((wi, i) => Math.max(wi, v[i]));
    const mHat = m.map((mi) => mi / (1 - beta1 ** step));
    const vHat = (amsgrad ? vMax : v).map((vi) => vi / (1 - beta2 ** step));
    return decayed.map((p, i) => p - (lr * mHat[i]) / (Math.sqrt(vHat[i]) + eps));
  };
}

function flatParameters(model: Sequential): number[] {
  return model.parameters().flatMap((p) => Array.from(p.data as Float64Array));
}

const cases: { name: string; make: (m: Sequential) => SGD | AdamW; rule: () => Rule }[] = [
  { name: "SGD defaults", make: (m) => new SGD(m, new MSELoss(), { runtime: "js" }), rule: () => sgdRule({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false }) },
  {
    name: "SGD momentum, dampening, weight decay",
    make: (m) => new SGD(m, new MSELoss(), { lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.05, runtime: "js" }),
    rule: () => sgdRule({ lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.05, nesterov: false }),
  },
  {
    name: "SGD Nesterov",
    make: (m) => new SGD(m, new MSELoss(), { lr: 0.05, momentum: 0.7, nesterov: true, weightDecay: 0.01, runtime: "js" }),
    rule: () => sgdRule({ lr: 0.05, momentum: 0.7, dampening: 0, weightDecay: 0.01, nesterov: true }),
  },
  { name: "AdamW defaults", make: (m) => new AdamW(m, new MSELoss(), { runtime: "js" }), rule: () => adamwRule({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2, amsgrad: false }) },
  {
    name: "AdamW AMSGrad",
    make: (m) => new AdamW(m, new MSELoss(), { lr: 0.03, betas: [0.5, 0.9], eps: 1e-3, weightDecay: 0.2, amsgrad: true, runtime: "js" }),
    rule: () => adamwRule({ lr: 0.03, beta1: 0.5, beta2: 0.9, eps: 1e-3, weightDecay: 0.2, amsgrad: true }),
  },
];

describe("baselines against a dense reference of PyTorch's update rules", () => {
  it.each(cases)("$name: seven steps, float64, js", async ({ make, rule }) => {
    const model = linearModel();
    const optimizer = make(model);
    const reference = rule();
    let theta = flatParameters(model);
    const data = batches();
    for (let t = 0; t < 7; t++) {
      const [X, Y] = data[t % data.length];
      const { loss, gradient } = closedFormGradient(theta, X, Y);
      theta = reference(theta, gradient, t);
      expect(await optimizer.step([X, Y])).toBeCloseTo(loss, 12);
      assertAllClose(flatParameters(model), theta, { rtol: 1e-12, atol: 1e-14 }, `step ${t}`);
    }
  });
});

describe("baselines' bad input", () => {
  const model = () => linearModel();
  it.each([
    ["SGD lr < 0", () => new SGD(model(), new MSELoss(), { lr: -1 }), /SGD: lr must be a finite number >= 0, got -1/],
    ["SGD NaN momentum", () => new SGD(model(), new MSELoss(), { momentum: NaN }), /SGD: momentum/],
    ["SGD Nesterov without momentum", () => new SGD(model(), new MSELoss(), { nesterov: true }), /nesterov needs momentum > 0 and dampening 0/],
    ["AdamW beta >= 1", () => new AdamW(model(), new MSELoss(), { betas: [0.9, 1] }), /AdamW: betas\[1\] must be a finite number in \[0, 1\), got 1/],
    ["AdamW eps < 0", () => new AdamW(model(), new MSELoss(), { eps: -1e-8 }), /AdamW: eps/],
    ["AdamW weight decay < 0", () => new AdamW(model(), new MSELoss(), { weightDecay: -0.1 }), /AdamW: weightDecay/],
    ["no parameters", () => new SGD(new Sequential(), new MSELoss()), /no parameters to train/],
  ])("%s is a ValueError", (_, make, message) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });

  it("refuses NaN in a batch, names it, and leaves parameters and state untouched", async () => {
    const m = model();
    const adamw = new AdamW(m, new MSELoss(), { runtime: "js" });
    const [X, Y] = batches()[0];
    await adamw.step([X, Y]);
    const before = m.stateDict();
    const state = adamw.state.get("0.weight")?.expAvg.slice();
    const bad = X.clone();
    (bad.data as Float64Array)[5] = NaN;
    await expect(adamw.step([bad, Y])).rejects.toThrow(/AdamW\.step: the batch is refused and the parameters are unchanged: "X" has NaN at \[1, 1\]/);
    expect(adamw.steps).toBe(1);
    expect(adamw.state.get("0.weight")?.expAvg).toEqual(state);
    for (const [name, p] of m.namedParameters()) expect(p.data).toEqual(before[name].data);
  });

  it("rejects batches that are not [X, y] with one batch axis, or X in another dtype", async () => {
    const sgd = new SGD(model(), new MSELoss(), { runtime: "js" });
    const [X, Y] = batches()[0];
    await expect(sgd.step([X] as unknown as [Tensor, Tensor])).rejects.toThrow(ValueError);
    await expect(sgd.step([X, Y.reshape([3, 2 * OUT])])).rejects.toThrow(ShapeError);
    await expect(sgd.step([X.astype("float32"), Y])).rejects.toThrow(DTypeError);
    await sgd.step([X, Y]);
    await expect(sgd.step([X.reshape([N * 2, IN / 2]), Y])).rejects.toThrow(ShapeError);
  });

  it("takes class-index targets for cross-entropy", async () => {
    const sgd = new SGD(model(), new CrossEntropyLoss(), { lr: 0.1, runtime: "js" });
    const [X] = batches()[0];
    const y = tensor([0, 1, 2, 0, 1, 2], { dtype: "int64" });
    const first = await sgd.step([X, y]);
    for (let i = 0; i < 20; i++) await sgd.step([X, y]);
    expect(await sgd.step([X, y])).toBeLessThan(first);
  });

  it("takes integer token ids as X (an Embedding model): the ids are data, the table trains", async () => {
    const lm = new Sequential(new Embedding(5, 3, { generator: new Generator(4), dtype: "float64" }), new Linear(3, 5, { generator: new Generator(5), dtype: "float64" }));
    const adamw = new AdamW(lm, new CrossEntropyLoss(), { lr: 0.05, runtime: "js" });
    const ids = tensor([0, 1, 2, 3, 4, 0], { dtype: "int64" });
    const next = tensor([1, 2, 3, 4, 0, 1], { dtype: "int64" });
    const first = await adamw.step([ids, next]);
    for (let i = 0; i < 30; i++) await adamw.step([ids, next]);
    expect(await adamw.step([ids, next])).toBeLessThan(first);
    await expect(adamw.step([tensor([0, 1, 2, 3, 4, 0], { dtype: "bool" }), next])).rejects.toThrow(DTypeError);
  });
});
