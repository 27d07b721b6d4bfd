// SINGD's own test protocol (reference/singd.md section 3): structure
// preservation, the IKFAC reduction, parameter groups, checkpoints and
// gradient scaling.
import { CrossEntropyLoss, decodeSafetensors, encodeSafetensors, stateDictFromJson, stateDictToJson } from "@curv/autodiff";
import { GGNLinearOperator, KFACLinearOperator } from "@curv/operators";
import { SUPPORTED_STRUCTURES } from "@curv/structures";
import { Tensor, matmul } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { SINGD } from "./singd.js";
import type { SINGDOptions } from "./singd-options.js";
import { flatParameters, singdMlpBatches, singdMlpModel } from "./testing/singd-fixture-cases.js";

const batches = singdMlpBatches("float64");
const quiet = { runtime: "js", onWarning: () => {} } as const;
const base: SINGDOptions = { lr: 0.05, momentum: 0.9, damping: 1e-3, alpha1: 0.5, T: 1, lrCov: 0.1, ...quiet };

async function train(singd: SINGD, steps: number, from = 0): Promise<void> {
  for (let step = from; step < from + steps; step++) await singd.step(batches[step % batches.length]);
}

describe("structure preservation (SINGD's test_optimizer)", () => {
  it.each([...Object.keys(SUPPORTED_STRUCTURES), "block7diagonal", "hierarchical3_2", "trilbottomrightdiagonal", "triutopleftdiagonal"])(
    "%s: after 6 updates K, C, m_K, m_C keep their structure (Π of their dense form returns them), size and storage",
    async (structure) => {
      const singd = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), { ...base, structures: [structure, structure] });
      const before = [...singd.preconditioners.values()].map((p) => [p.K.byteLength, p.C.byteLength]);
      await train(singd, 6);
      [...singd.preconditioners.values()].forEach((p, i) => {
        for (const m of [p.K, p.C, p.mK, p.mC]) {
          if (m === undefined) throw new Error("m_K / m_C missing with alpha1 = 0.5");
          expect(m.structureName).toBe(structure);
          const dense = m.toDense().data as Float64Array;
          const projected = m.structure.fromDense(m.toDense()).toDense().data as Float64Array;
          const scale = Math.max(...dense.map(Math.abs));
          // Exact up to the rounding of Toeplitz' diagonal averages.
          expect(Math.max(...projected.map((v, i) => Math.abs(v - dense[i])))).toBeLessThanOrEqual(1e-15 * scale);
        }
        expect([p.K.byteLength, p.C.byteLength]).toEqual(before[i]);
        expect(p.K.toDense().data.every(Number.isFinite)).toBe(true);
      });
    },
  );

  it("keeps preconditionerDtype float32 for K and m_K while C follows the float64 weights", async () => {
    const singd = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), { ...base, preconditionerDtype: ["float32", null] });
    await train(singd, 3);
    const p = singd.preconditioners.get("2");
    expect([p?.K.dtype, p?.mK?.dtype, p?.C.dtype, p?.mC?.dtype]).toEqual(["float32", "float32", "float64", "float64"]);
  });
});

/** `a b` for dense square or rectangular float64 tensors. */
const mm = (a: Tensor, b: Tensor) => matmul(a as Tensor<"float64">, b as Tensor<"float64">);
const eye = (n: number) => new Tensor("float64", [n, n], Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)));
const lincomb = (terms: [number, Tensor][]) => {
  const out = new Float64Array(terms[0][1].size);
  for (const [c, t] of terms) (t.data as Float64Array).forEach((v, i) => (out[i] += c * v));
  return new Tensor("float64", terms[0][1].shape, out);
};

describe("dense SINGD with kfacLike is IKFAC (Lin et al. 2024, Fig. 3)", () => {
  it("matches an independent dense IKFAC on the empirical KFAC factors of KFACLinearOperator, 5 steps, float64, to 1e-10", async () => {
    const lr = 0.05;
    const damping = 1e-3;
    const beta = 0.1;
    const model = singdMlpModel("float64");
    const reference = singdMlpModel("float64");
    const singd = new SINGD(model, new CrossEntropyLoss(), { ...quiet, lr, damping, lrCov: beta, momentum: 0, alpha1: 0, T: 1, kfacLike: true });
    const names = reference.namedParameters().map(([n]) => n);
    const K = new Map<string, Tensor>();
    const C = new Map<string, Tensor>();
    for (let step = 0; step < 5; step++) {
      const batch = batches[step % batches.length];
      // The reference: KFAC's empirical factors A = aᵀa / N, G = (1/N) Σ ∇ℓₙ∇ℓₙᵀ at the current parameters.
      const kfac = new KFACLinearOperator(reference, new CrossEntropyLoss(), names, [batch], {
        fisherType: "empirical", separateWeightAndBias: false, runtime: "js", dtype: "float64", checkDeterministic: false,
      });
      const factors = await kfac.factors();
      const ggn = new GGNLinearOperator(reference, new CrossEntropyLoss(), names, [batch], { runtime: "js", dtype: "float64", checkDeterministic: false });
      const gradients = (await ggn.gradientAndLoss()).gradient;
      const gradient = Object.fromEntries(names.map((n, i) => [n, gradients[i]]));
      const params = new Map(reference.namedParameters());
      const updated: Record<string, Tensor> = {};
      for (const [layer, f] of Object.entries(factors)) {
        const A = f.inputCovariance as Tensor;
        const G = f.gradientCovariance as Tensor;
        const k = K.get(layer) ?? eye(A.shape[0]);
        const c = C.get(layer) ?? eye(G.shape[0]);
        // m_K = ½(Kᵀ A K + λ KᵀK − I), K ← K − β K m_K; the same for C with G.
        const mK = lincomb([[0.5, mm(mm(k.transpose(), A), k)], [0.5 * damping, mm(k.transpose(), k)], [-0.5, eye(A.shape[0])]]);
        const mC = lincomb([[0.5, mm(mm(c.transpose(), G), c)], [0.5 * damping, mm(c.transpose(), c)], [-0.5, eye(G.shape[0])]]);
        const nextK = lincomb([[1, k], [-beta, mm(k, mK)]]);
        const nextC = lincomb([[1, c], [-beta, mm(c, mC)]]);
        K.set(layer, nextK);
        C.set(layer, nextC);
        const w = gradient[`${layer}.weight`] as Tensor;
        const b = gradient[`${layer}.bias`] as Tensor;
        const [rows, cols] = w.shape;
        const joint = new Tensor("float64", [rows, cols + 1]);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < cols; j++) (joint.data as Float64Array)[r * (cols + 1) + j] = w.get(r, j);
          (joint.data as Float64Array)[r * (cols + 1) + cols] = b.get(r);
        }
        const delta = mm(mm(mm(nextC, nextC.transpose()), joint), mm(nextK, nextK.transpose()));
        const wNew = new Tensor("float64", [rows, cols]);
        const bNew = new Tensor("float64", [rows]);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < cols; j++) (wNew.data as Float64Array)[r * cols + j] = (params.get(`${layer}.weight`) as Tensor).get(r, j) - lr * delta.get(r, j);
          (bNew.data as Float64Array)[r] = (params.get(`${layer}.bias`) as Tensor).get(r) - lr * delta.get(r, cols);
        }
        updated[`${layer}.weight`] = wNew;
        updated[`${layer}.bias`] = bNew;
      }
      reference.loadStateDict(updated);
      await ggn.dispose();
      await singd.step(batch);
    }
    const actual = flatParameters(model);
    const expected = flatParameters(reference);
    const scale = Math.max(...expected.map(Math.abs));
    expect(Math.max(...actual.map((v, i) => Math.abs(v - expected[i]))) / scale).toBeLessThan(1e-10);
    for (const [layer, k] of K) {
      const ours = singd.preconditioners.get(layer)?.K.toDense() as Tensor;
      const worst = Math.max(...(ours.data as Float64Array).map((v, i) => Math.abs(v - (k.data as Float64Array)[i])));
      expect(worst).toBeLessThan(1e-12);
      expect(singd.preconditioners.get(layer)?.mK, "kfacLike never allocates m_K").toBeUndefined();
    }
  });

  it("warns and sets alpha1 to 0 when kfacLike comes with a Riemannian momentum", () => {
    const warnings: string[] = [];
    const singd = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), { kfacLike: true, alpha1: 0.5, runtime: "js", onWarning: (m) => warnings.push(m) });
    expect(singd.layers[0].options.alpha1).toBe(0);
    expect(warnings.join()).toMatch(/kfacLike.*alpha1/);
  });
});

describe("lrCov schedules", () => {
  it("are called with the step counter at each update, and a constant schedule is the constant", async () => {
    const calls: number[] = [];
    const model = singdMlpModel("float64");
    const scheduled = new SINGD(model, new CrossEntropyLoss(), { ...base, T: 2, params: [{ params: ["4.weight", "4.bias"] }], lrCov: (t) => (calls.push(t), 0.1) });
    const constant = singdMlpModel("float64");
    const plain = new SINGD(constant, new CrossEntropyLoss(), { ...base, T: 2, params: [{ params: ["4.weight", "4.bias"] }], lrCov: 0.1 });
    await train(scheduled, 5);
    await train(plain, 5);
    expect(calls.filter((t, i) => calls.indexOf(t) === i)).toEqual([0, 2, 4]);
    expect(Array.from(flatParameters(model))).toEqual(Array.from(flatParameters(constant)));
  });
});

describe("parameter groups (SINGD's test_param_groups)", () => {
  it("per-layer structures and T: a group with lr 0 stays fixed and the others follow an optimizer that trains only them, bit for bit", async () => {
    const grouped = singdMlpModel("float64");
    const alone = singdMlpModel("float64");
    const a = new SINGD(grouped, new CrossEntropyLoss(), {
      ...base, params: [
        { params: ["0.weight", "0.bias"], lr: 0, structures: ["diagonal", "diagonal"] },
        { params: ["2.weight", "2.bias", "4.weight", "4.bias"], structures: ["hierarchical15_15", "dense"], T: 3 },
      ],
    });
    const b = new SINGD(alone, new CrossEntropyLoss(), { ...base, params: ["2.weight", "2.bias", "4.weight", "4.bias"], structures: ["hierarchical15_15", "dense"], T: 3 });
    expect(a.preconditioners.get("0")?.K.structureName).toBe("diagonal");
    expect(a.preconditioners.get("2")?.K.structureName).toBe("hierarchical15_15");
    expect(b.untrainedParameters).toEqual(["0.weight", "0.bias"]);
    const initial = grouped.stateDict()["0.weight"];
    await train(a, 7);
    await train(b, 7);
    expect(Array.from(grouped.stateDict()["0.weight"].data as Float64Array)).toEqual(Array.from(initial.data as Float64Array));
    expect(Array.from(flatParameters(grouped))).toEqual(Array.from(flatParameters(alone)));
  });
});

async function roundTrip(encode: (singd: SINGD) => ReturnType<SINGD["stateDict"]>): Promise<void> {
  const options: SINGDOptions = { ...base, structures: ["hierarchical15_15", "triltoeplitz"], T: 2 };
  const model = singdMlpModel("float64");
  const singd = new SINGD(model, new CrossEntropyLoss(), options);
  await train(singd, 5);
  const modelState = model.stateDict();
  const restoredModel = singdMlpModel("float64");
  restoredModel.loadStateDict(modelState);
  const restored = new SINGD(restoredModel, new CrossEntropyLoss(), options);
  restored.loadStateDict(encode(singd));
  expect(restored.steps).toBe(5);
  await train(singd, 6, 5);
  await train(restored, 6, 5);
  expect(Array.from(flatParameters(restoredModel))).toEqual(Array.from(flatParameters(model)));
  expect(Object.keys(restored.stateDict())).toEqual(Object.keys(singd.stateDict()));
  for (const [key, t] of Object.entries(singd.stateDict())) expect(Array.from(restored.stateDict()[key].data as Float64Array), key).toEqual(Array.from(t.data as Float64Array));
}

describe("checkpoints (SINGD's test_checkpointing)", () => {
  it("resumes bit-identically from a state dict written as JSON", async () => {
    await roundTrip((singd) => stateDictFromJson(stateDictToJson(singd.stateDict())));
  });

  it("resumes bit-identically from a state dict written as safetensors", async () => {
    await roundTrip((singd) => decodeSafetensors(encodeSafetensors(singd.stateDict())).tensors);
  });

  it("holds the step counter, the last gradient scale, every stored tensor of K, C, m_K, m_C and the momentum buffers", async () => {
    const singd = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), { ...base, structures: ["diagonal", "block30diagonal"] });
    expect(Object.keys(singd.stateDict()).filter((k) => k.startsWith("momentum"))).toEqual([]);
    await train(singd, 1);
    const keys = Object.keys(singd.stateDict());
    expect(keys).toContain("steps");
    expect(keys).toContain("grad_scale");
    expect(keys).toContain("Ks.0.diag");
    expect(keys).toContain("m_Cs.4.last");
    expect(keys).toContain("momentum_buffer.4.bias");
  });

  it("refuses a state of another configuration, naming the mismatch, and changes nothing", async () => {
    const dense = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), base);
    await train(dense, 2);
    const diagonal = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), { ...base, structures: ["diagonal", "diagonal"] });
    const before = diagonal.stateDict();
    expect(() => diagonal.loadStateDict(dense.stateDict())).toThrow(/Ks\.0\.diag|unexpected/);
    expect(Object.keys(diagonal.stateDict())).toEqual(Object.keys(before));
    expect(diagonal.steps).toBe(0);
  });
});

/** A fresh MLP optimizer trained `steps` steps with gradient scales `scales(t)` (none when it returns undefined). */
async function scaledRun(steps: number, scales: (t: number) => number | undefined, options: SINGDOptions = {}): Promise<Float64Array> {
  const model = singdMlpModel("float64");
  const singd = new SINGD(model, new CrossEntropyLoss(), { ...base, ...options });
  for (let t = 0; t < steps; t++) {
    const gradScale = scales(t);
    await singd.step(batches[t % batches.length], gradScale === undefined ? {} : { gradScale });
  }
  return flatParameters(model);
}

describe("gradient scaling (SINGD's test_scaler)", () => {
  it("a constant power-of-two scale with the same initGradScale gives the unscaled trajectory bit for bit", async () => {
    const plain = await scaledRun(8, () => undefined);
    expect(Array.from(await scaledRun(8, () => 1024, { initGradScale: 1024 }))).toEqual(Array.from(plain));
  });

  it("cyclic scales [100, 1e4, 100, 1] give the unscaled trajectory to 1e-10 relative", async () => {
    const plain = await scaledRun(12, () => undefined);
    const scaled = await scaledRun(12, (t) => [100, 1e4, 100, 1][t % 4], { initGradScale: 100 });
    const scale = Math.max(...plain.map(Math.abs));
    expect(Math.max(...scaled.map((v, i) => Math.abs(v - plain[i]))) / scale).toBeLessThan(1e-10);
  });

  it("warns at step 0 when a scale is used with initGradScale 1", async () => {
    const warnings: string[] = [];
    const singd = new SINGD(singdMlpModel("float64"), new CrossEntropyLoss(), { ...base, onWarning: (m) => warnings.push(m) });
    await singd.step(batches[0], { gradScale: 256 });
    expect(warnings.join()).toMatch(/initGradScale/);
  });

  it("skips a step whose scaled gradients overflow (found inf): parameters and pre-conditioner unchanged, the step counted", async () => {
    const warnings: string[] = [];
    const model = singdMlpModel("float64");
    const singd = new SINGD(model, new CrossEntropyLoss(), { ...base, onWarning: (m) => warnings.push(m) });
    await singd.step(batches[0]);
    const params = flatParameters(model);
    const K = singd.preconditioners.get("0")?.K.toDense().data;
    await singd.step(batches[1], { gradScale: 1e308 });
    expect(singd.lastStepSkipped).toBe(true);
    expect(singd.steps).toBe(2);
    expect(warnings.join()).toMatch(/non-finite gradients at step 1/);
    expect(Array.from(flatParameters(model))).toEqual(Array.from(params));
    expect(Array.from(singd.preconditioners.get("0")?.K.toDense().data as Float64Array)).toEqual(Array.from(K as Float64Array));
    await singd.step(batches[2]);
    expect(singd.lastStepSkipped).toBe(false);
  });
});
