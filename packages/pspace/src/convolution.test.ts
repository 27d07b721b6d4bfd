// KFAC and EKFAC of a Conv2d net follow NNGeometry's conventions, checked
// against a dense host computation of those conventions (tensor kernels
// only): A = (1/n) Σ_{i,s} x̃x̃ᵀ over unfolded patches with a one for the
// bias, G = (1/(nS)) Σ_{i,s} gy gyᵀ summed over the C−1 square-root outputs
// (which is Dᵀ (diag p − ppᵀ) D), EKFAC's Λ = (1/n) Σ_{i,o} (U_Gᵀ (Σ_s gy x̃ᵀ) U_A)².
import { Conv2d, Flatten, LayerNorm, Linear, Sequential, Tanh } from "@curv/autodiff";
import { Generator, Tensor, unfold, type FloatDType } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { FIM } from "./helpers/fim.js";
import { LayerCollection } from "./layers/layer-collection.js";
import { kron, matrix, type Matrix } from "./linalg/matrix.js";
import { PMatBlockDiag } from "./pmat/pmat-block-diag.js";
import { PMatDense } from "./pmat/pmat-dense.js";
import { PMatEKFAC } from "./pmat/pmat-ekfac.js";
import { PMatKFAC } from "./pmat/pmat-kfac.js";
import { PMatEKFACBlockDiag, PMatMixed } from "./pmat/pmat-mixed.js";
import { relativeError } from "./testing/nngeometry-fixture.js";
import { PVector } from "./vector/pvector.js";

function convNet<D extends FloatDType>(dtype: D) {
  const generator = new Generator(11);
  const model = new Sequential(new Conv2d(2, 3, 2, { generator, dtype }), new Tanh(), new Flatten(), new Linear(12, 4, { generator, dtype }));
  const batches = [3, 2].map((n): [Tensor<D>, Tensor] => [generator.normal([n, 2, 3, 3], { dtype }), generator.integers(0, 4, [n], "int64")]);
  return { model, batches };
}

/** Per example: the patches x̃ [S, 9], the Jacobians D_s [C, 3] of the logits by the conv output, h̃ [13] and H = diag p − ppᵀ. */
function hostForward(model: Sequential, batches: [Tensor<"float64">, Tensor][]) {
  const params = Object.fromEntries(model.namedParameters());
  const [W, b, W2, b2] = ["0.weight", "0.bias", "3.weight", "3.bias"].map((name) => params[name].astype("float64"));
  const examples: { patches: number[][]; D: number[][][]; h: number[]; H: number[][] }[] = [];
  for (const [X] of batches) {
    const columns = unfold(X, [2, 2]); // [n, 8, 4]
    for (let i = 0; i < X.shape[0]; i++) {
      const patches = Array.from({ length: 4 }, (_, s) => [...Array.from({ length: 8 }, (_, r) => columns.get(i, r, s)), 1]);
      const out = Array.from({ length: 3 }, (_, c) => patches.map((x) => x.slice(0, 8).reduce((t, xr, r) => t + W.data[c * 8 + r] * xr, b.data[c])));
      const h = out.flatMap((row) => row.map(Math.tanh));
      const z = Array.from({ length: 4 }, (_, k) => h.reduce((t, hj, j) => t + W2.data[k * 12 + j] * hj, b2.data[k]));
      const top = Math.max(...z);
      const e = z.map((x) => Math.exp(x - top));
      const p = e.map((x) => x / e.reduce((a, c) => a + c, 0));
      const H = p.map((pi, k) => p.map((pj, l) => (k === l ? pi : 0) - pi * pj));
      const D = Array.from({ length: 4 }, (_, s) => Array.from({ length: 4 }, (_, k) => Array.from({ length: 3 }, (_, c) => W2.data[k * 12 + c * 4 + s] * (1 - h[c * 4 + s] ** 2))));
      examples.push({ patches, D, h: [...h, 1], H });
    }
  }
  return examples;
}

function outerSum(vectors: number[][], scale: number): Matrix {
  const n = vectors[0].length;
  const out = matrix(n, n);
  for (const v of vectors) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] += scale * v[i] * v[j];
  return out;
}

/** `Σ_k,l Mᵀ[a,k] H[k,l] M[l,b]` for M [C, d]. */
function sandwich(M: number[][], H: number[][]): number[][] {
  const d = M[0].length;
  return Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => M.reduce((t, row, k) => t + row[a] * M.reduce((u, rowL, l) => u + H[k][l] * rowL[b], 0), 0)));
}

function block(dense: Tensor, start: number, size: number): number[] {
  const p = dense.shape[0];
  const out: number[] = [];
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) out.push(dense.data[(start + i) * p + start + j] as number);
  return out;
}

describe("Conv2d KFAC and EKFAC with NNGeometry's conventions", () => {
  const { model, batches } = convNet("float64");
  const examples = hostForward(model, batches);
  const n = examples.length;
  const S = 4;
  const A0 = outerSum(examples.flatMap((e) => e.patches), 1 / n);
  const G0 = matrix(3, 3);
  for (const e of examples) for (const Ds of e.D) sandwich(Ds, e.H).forEach((row, a) => row.forEach((x, c) => (G0.data[a * 3 + c] += x / (n * S))));
  const A1 = outerSum(examples.map((e) => e.h), 1 / n);
  const G1 = matrix(4, 4);
  for (const e of examples) e.H.forEach((row, k) => row.forEach((x, l) => (G1.data[k * 4 + l] += x / n)));

  it("KFAC's blocks are kron(G, A) of those factors (joint [W | b] order)", async () => {
    const F = await FIM({ model, loader: batches, representation: PMatKFAC, runtime: "js" });
    const joint = F.toDense({ splitWeightBias: false });
    expect(relativeError(block(joint, 0, 27), kron(G0, A0))).toBeLessThan(1e-12);
    expect(relativeError(block(joint, 27, 52), kron(G1, A1))).toBeLessThan(1e-12);
    // Off-block entries are zero, and the split order is a permutation of the joint one.
    expect((joint.data as Float64Array)[5 * 79 + 40]).toBe(0);
    expect(F.trace()).toBeCloseTo(traceOf(G0) * traceOf(A0) + traceOf(G1) * traceOf(A1), 12);
  });

  it("EKFAC after updateDiag has the eigenvalues Λ = (1/n) Σ_{i,o} (U_Gᵀ (Σ_s gy x̃ᵀ) U_A)² in its eigenbasis", async () => {
    const F = await FIM({ model, loader: batches, representation: PMatEKFAC, runtime: "js" });
    await F.updateDiag();
    const conv = F.getEigenbasis("0");
    const expected = new Float64Array(27);
    for (const e of examples) {
      for (let g = 0; g < 3; g++) {
        for (let a = 0; a < 9; a++) {
          // c = Σ_s D_s u_g (x̃_s · u_a) ∈ R^C; Σ_o (ℓ_oᵀ c)² = cᵀ H c.
          const c = [0, 1, 2, 3].map((k) => e.D.reduce((t, Ds, s) => {
            const ug = [0, 1, 2].reduce((u, ch) => u + Ds[k][ch] * conv.UG.data[ch * 3 + g], 0);
            const xa = e.patches[s].reduce((u, x, r) => u + x * conv.UA.data[r * 9 + a], 0);
            return t + ug * xa;
          }, 0));
          expected[g * 9 + a] += c.reduce((t, ck, k) => t + ck * c.reduce((u, cl, l) => u + e.H[k][l] * cl, 0), 0) / n;
        }
      }
    }
    expect(relativeError(conv.eigenvalues, expected)).toBeLessThan(1e-10);
    const linear = F.getEigenbasis("3");
    const expectedLinear = new Float64Array(52);
    for (const e of examples) {
      for (let g = 0; g < 4; g++) {
        const ug = [0, 1, 2, 3].map((k) => linear.UG.data[k * 4 + g]);
        const Hug = ug.reduce((t, x, k) => t + x * ug.reduce((u, y, l) => u + e.H[k][l] * y, 0), 0);
        for (let a = 0; a < 13; a++) expectedLinear[g * 13 + a] += (Hug * e.h.reduce((t, x, r) => t + x * linear.UA.data[r * 13 + a], 0) ** 2) / n;
      }
    }
    expect(relativeError(linear.eigenvalues, expectedLinear)).toBeLessThan(1e-10);
    // EKFAC's trace is then the FIM's, and it is at least as close to the block-diagonal FIM as KFAC (NNGeometry's check).
    const blocks = await FIM({ model, loader: batches, representation: PMatBlockDiag, runtime: "js" });
    const kfac = await FIM({ model, loader: batches, representation: PMatKFAC, runtime: "js" });
    expect(F.trace()).toBeCloseTo(blocks.trace(), 12);
    expect(relativeError(F.toDense(), blocks.toDense())).toBeLessThanOrEqual(relativeError(kfac.toDense(), blocks.toDense()));
  });
});

describe("PMatMixed and PMatEKFACBlockDiag on a net with LayerNorm", () => {
  const generator = new Generator(5);
  const model = new Sequential(new Linear(6, 5, { generator, dtype: "float64" }), new LayerNorm(5, { dtype: "float64" }), new Tanh(), new Linear(5, 4, { generator, dtype: "float64" }));
  const batches = [4, 3].map((n): [Tensor<"float64">, Tensor] => [generator.normal([n, 6], { dtype: "float64" }), generator.integers(0, 4, [n], "int64")]);

  it("EKFAC on the Linear layers, the dense FIM's block on the LayerNorm", async () => {
    const lc = LayerCollection.fromModel(model);
    expect(lc.layers.map((l) => `${l.kind} ${l.id}`)).toEqual(["Linear 0", "LayerNorm 1", "Linear 3"]);
    const F = await FIM({ model, loader: batches, representation: PMatEKFACBlockDiag, runtime: "js" });
    await F.updateDiag();
    const dense = (await FIM({ model, loader: batches, representation: PMatDense, runtime: "js" })).toDense();
    const start = lc.getLayerStart("1");
    expect(relativeError(block(F.toDense(), start, 10), block(dense, start, 10))).toBeLessThan(1e-12);
    expect(F.trace()).toBeCloseTo(Array.from({ length: lc.numel() }, (_, i) => dense.data[i * lc.numel() + i] as number).reduce((a, b) => a + b, 0), 12);
    const v = PVector.random(lc, generator);
    expect(relativeError(F.solve(F.mv(v).add(v.scale(1e-3)), { regul: 1e-3, solve: { PMatEKFAC: "default", PMatBlockDiag: "solve" } }).toFlat(), v.toFlat())).toBeLessThan(1e-8);
    expect(F.parts.map((part) => part.pmat.constructor.name)).toEqual(["PMatEKFAC", "PMatBlockDiag"]);
  });

  it("KFAC on a LayerNorm is an error naming the layer and its kind", async () => {
    await expect(FIM({ model, loader: batches, representation: PMatKFAC, runtime: "js" })).rejects.toThrow(/PMatKFAC: layer "1" is a LayerNorm; PMatKFAC supports the layer kinds Linear, Conv2d/);
    const mixed = await FIM({ model, loader: batches, representation: PMatMixed.representation(PMatBlockDiag, { Linear: PMatKFAC }), runtime: "js" });
    expect(mixed.parts.map((part) => part.layerCollection.ids())).toEqual([["0", "3"], ["1"]]);
  });
});

function traceOf(m: Matrix): number {
  const n = m.shape[0];
  let t = 0;
  for (let i = 0; i < n; i++) t += m.data[i * n + i];
  return t;
}


describe("PMatEKFAC.updateDiag on other examples", () => {
  it("keeps the eigenbasis and takes the eigenvalues of the new examples (counted afresh)", async () => {
    const { model, batches } = convNet("float64");
    const F = await FIM({ model, loader: batches, representation: PMatEKFAC, runtime: "js", numData: 5 });
    const before = F.getEigenbasis("3");
    await F.updateDiag([batches[1]]);
    const after = F.getEigenbasis("3");
    expect(Array.from(after.UA.data)).toEqual(Array.from(before.UA.data));
    const own = await FIM({ model, loader: [batches[1]], representation: PMatEKFAC, runtime: "js" });
    await own.updateDiag();
    // Same examples, different eigenbasis: the traces (sums of the corrected eigenvalues) agree.
    expect(F.trace()).toBeCloseTo(own.trace(), 12);
  });
});
