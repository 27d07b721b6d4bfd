// NNGeometry's test protocol (reference section 4): every representation's
// operations agree with its own dense matrix; solve recovers v; inverse times
// the (damped) matrix is the identity; the FIM's vTMv(dw) is 2 KL of a small
// step; the Monte-Carlo FIM converges to the exact one. float64, js runtime.
import { compileModel } from "@curv/autodiff";
import { Generator, Tensor, eye, gemm, softmax } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { FIM, FIMMonteCarlo, type PMatRepresentation } from "./helpers/fim.js";
import { LayerCollection } from "./layers/layer-collection.js";
import { PFMapDense } from "./map/pfmap-dense.js";
import type { PMatAbstract } from "./pmat/pmat-abstract.js";
import { PMatBlockDiag } from "./pmat/pmat-block-diag.js";
import { PMatDense } from "./pmat/pmat-dense.js";
import { PMatDiag } from "./pmat/pmat-diag.js";
import { PMatEKFAC } from "./pmat/pmat-ekfac.js";
import { PMatEye } from "./pmat/pmat-eye.js";
import { PMatImplicit } from "./pmat/pmat-implicit.js";
import { PMatKFAC } from "./pmat/pmat-kfac.js";
import { PMatLowRank } from "./pmat/pmat-low-rank.js";
import { PMatQuasiDiag } from "./pmat/pmat-quasi-diag.js";
import { PMatEKFACBlockDiag, PMatMixed } from "./pmat/pmat-mixed.js";
import { fixtureModel, relativeError } from "./testing/nngeometry-fixture.js";
import { PVector } from "./vector/pvector.js";

const TOLERANCE = 1e-9;
const REGUL = 1e-3;

function denseOf(t: Tensor): Tensor<"float64"> {
  return t.astype("float64");
}

function times(a: Tensor, b: Tensor): Tensor<"float64"> {
  return gemm(denseOf(a), denseOf(b));
}

function apply(dense: Tensor, v: PVector): Float64Array {
  const p = v.size()[0];
  return gemm(denseOf(dense), new Tensor("float64", [p, 1], v.toFloat64())).data;
}

function plusIdentity(dense: Tensor, s: number): Tensor<"float64"> {
  const out = denseOf(dense).clone();
  const p = out.shape[0];
  for (let i = 0; i < p; i++) out.data[i * p + i] += s;
  return out;
}

function expectClose(actual: Parameters<typeof relativeError>[0], expected: Parameters<typeof relativeError>[1], what: string, tolerance = TOLERANCE): void {
  expect(relativeError(actual, expected), what).toBeLessThan(tolerance);
}

const { model, batches } = fixtureModel("float64");
const lc = LayerCollection.fromModel(model);
const generator = new Generator(7);
const v = PVector.random(lc, generator);
const w = PVector.random(lc, generator);

const STORED: Record<string, PMatRepresentation<PMatAbstract>> = {
  PMatDense, PMatDiag, PMatBlockDiag, PMatKFAC, PMatEKFAC, PMatQuasiDiag, PMatLowRank, PMatEKFACBlockDiag,
  "PMatMixed (Linear: EKFAC)": PMatMixed.representation(PMatDiag, { Linear: PMatEKFAC }),
};

describe.each(Object.entries(STORED))("%s: every operation agrees with toDense", (_, representation) => {
  it("mv, vTMv, trace, getDiag, norms, mmap, mapTMmap, solve, inverse, scale, byteLength", async () => {
    const M = await FIM({ model, loader: batches, representation, runtime: "js" });
    if (M instanceof PMatEKFAC || M instanceof PMatMixed) await M.updateDiag();
    const D = M.toDense();
    const p = lc.numel();
    expectClose(M.mv(v).toFlat(), apply(D, v), "mv");
    expectClose(M.vTMv(v), v.dot(PVector.fromFlat(lc, new Tensor("float64", [p], apply(D, v)))), "vTMv");
    expectClose(M.trace(), Array.from({ length: p }, (_, i) => D.data[i * p + i] as number).reduce((a, b) => a + b, 0), "trace");
    expectClose(M.getDiag(), Array.from({ length: p }, (_, i) => D.data[i * p + i] as number), "getDiag");
    expectClose(M.frobeniusNorm(), Math.sqrt(Array.from(D.data as Float64Array).reduce((s, x) => s + x * x, 0)), "frobeniusNorm");
    expect(() => M.norm("prout" as never)).toThrow(/ord must be "fro", 2 or -2/);
    if (!(M instanceof PMatQuasiDiag)) {
      const dense = new PMatDense(lc, D);
      expectClose(M.norm(2), dense.norm(2), "norm(2)", 1e-8);
      expect(Math.abs(M.norm(-2) - dense.norm(-2))).toBeLessThan(1e-8 * dense.norm(2));
    } else {
      expect(() => M.norm(2)).toThrow(/only "fro"/);
    }
    // A 2 x 3 PFMap of c^i v, as NNGeometry's solve tests.
    const rows = new Float64Array(6 * p);
    for (let r = 0; r < 6; r++) rows.set(v.toFloat64().map((x) => x * 1.5 ** r), r * p);
    const map = new PFMapDense(lc, new Tensor("float64", [2, 3, p], rows));
    const mapped = M.mmap(map).rows();
    for (let r = 0; r < 6; r++) expectClose(mapped.slice(r * p, (r + 1) * p), apply(D, v).map((x) => x * 1.5 ** r), `mmap row ${r}`);
    expectClose(M.mapTMmap(map, "diag"), Array.from({ length: 6 }, (_, r) => M.vTMv(v) * 1.5 ** (2 * r)), "mapTMmap diag");
    expectClose(M.mapTMmap(map), [0, 1, 2].map((i) => M.vTMv(v) * (1.5 ** (2 * i) + 1.5 ** (2 * (i + 3)))), "mapTMmap sum");
    expectClose(M.scale(2.5).toDense(), Array.from(D.data as Float64Array, (x) => 2.5 * x), "scale");
    expect(M.byteLength).toBeGreaterThan(0);
    expect(M.size()).toEqual([p, p]);
    if (M instanceof PMatKFAC) {
      // π-damped: solve and inv use (G_r ⊗ A_r)⁻¹, which pow(1, { regul }) gives back.
      const damped = M.pow(1, { regul: REGUL });
      expectClose(M.solve(damped.mv(v), { regul: REGUL }).toFlat(), v.toFlat(), "solve recovers v (π-damped)", 1e-8);
      expectClose(times(M.inv(REGUL).toDense(), damped.toDense()), eye(p, p, "float64"), "inv · damped = I", 1e-8);
      expectClose(M.pow(0.5).mm(M.pow(0.5)).toDense(), D, "pow(0.5)² = M (NNGeometry raises)", 1e-8);
      expectClose(M.pow(2).toDense(), times(D, D), "pow(2)", 1e-8);
      return;
    }
    const damped = plusIdentity(D, REGUL);
    const b = PVector.fromFlat(lc, new Tensor("float64", [p], apply(damped, v)));
    expectClose(M.solve(b, { regul: REGUL }).toFlat(), v.toFlat(), "solve recovers v", 1e-8);
    const solvedMap = M.solve(map, { regul: REGUL }).rows();
    expectClose(solvedMap.slice(p, 2 * p), M.solve(v.scale(1.5), { regul: REGUL }).toFlat(), "solve on a PFMap");
    const inverse = (M as unknown as { inv?: (r: number) => PMatAbstract }).inv;
    if (inverse !== undefined) expectClose(times(inverse.call(M, REGUL).toDense(), damped), eye(p, p, "float64"), "inv · (M + regul I) = I", 1e-8);
  });
});

describe("sums, differences, products and powers against the dense matrix", () => {
  it.each([["PMatDense", PMatDense], ["PMatDiag", PMatDiag], ["PMatBlockDiag", PMatBlockDiag]] as const)("%s", async (_, representation) => {
    const M = (await FIM({ model, loader: batches, representation: representation as PMatRepresentation<PMatAbstract>, runtime: "js" })) as PMatDense;
    const N = M.scale(0.5).add(M);
    const D = M.toDense();
    expectClose(N.toDense(), Array.from(D.data as Float64Array, (x) => 1.5 * x), "add");
    expectClose(N.sub(M).toDense(), Array.from(D.data as Float64Array, (x) => 0.5 * x), "sub");
    expectClose(M.mm(M).toDense(), representation === PMatDense ? times(D, D) : M.pow(2).toDense(), "mm");
    expectClose(M.pow(0.5).mm(M.pow(0.5)).toDense(), D, "pow(0.5)²", 1e-8);
    expectClose(M.pinv(1e-12).mm(M).mm(M).toDense(), D, "M pinv(M) M = M", 1e-6);
  });

  it("PMatEye and PMatEKFAC's pow, pinv and lstsq solve", async () => {
    const eye2 = new PMatEye(lc, { scaling: 2 });
    expectClose(eye2.mv(v).toFlat(), v.scale(2).toFlat(), "PMatEye mv");
    expectClose(eye2.inv(0).toDense(), eye(lc.numel(), lc.numel(), "float64").toArray().map((x) => x / 2), "PMatEye inv");
    expect(eye2.norm()).toBeCloseTo(2 * Math.sqrt(lc.numel()), 12);
    const ekfac = await FIM({ model, loader: batches, representation: PMatEKFAC, runtime: "js" });
    await ekfac.updateDiag();
    expectClose(ekfac.pow(2).toDense(), times(ekfac.toDense(), ekfac.toDense()), "EKFAC pow(2)");
    expectClose(ekfac.pinv(1e-6).mv(v).toFlat(), ekfac.solve(v, { regul: 1e-6, solve: "lstsq" }).toFlat(), "pinv(atol) = solve lstsq");
  });
});

describe("information geometry", () => {
  async function meanKL(step: PVector): Promise<number> {
    const compiled = await compileModel(model, { dtype: "float64", shape: ["batch", 6] }, { runtime: "js" });
    const before = await Promise.all(batches.map(([X]) => compiled.run(X)));
    const w0 = PVector.fromModel(model, lc);
    w0.add(step).copyToModel(model);
    const after = await Promise.all(batches.map(([X]) => compiled.run(X)));
    w0.copyToModel(model);
    let kl = 0;
    let n = 0;
    before.forEach((logits, b) => {
      const [p, q] = [softmax(logits as Tensor<"float64">, -1), softmax(after[b] as Tensor<"float64">, -1)];
      for (let i = 0; i < p.size; i++) kl += p.data[i] * Math.log(p.data[i] / q.data[i]);
      n += logits.shape[0];
    });
    return kl / n;
  }

  it("vTMv(dw) = 2 KL(p_w ‖ p_{w+dw}) for a small step (within 5%; 0.1% in closed form)", async () => {
    const F = await FIM({ model, loader: batches, representation: PMatDense, runtime: "js" });
    const dw = v.scale(1e-2 / v.norm());
    const ratio = Math.sqrt((2 * (await meanKL(dw))) / F.vTMv(dw));
    expect(Math.abs(ratio - 1)).toBeLessThan(1e-3);
  });

  it("the Monte-Carlo FIM converges to the exact one", async () => {
    const exact = await FIM({ model, loader: batches, representation: PMatDense, runtime: "js" });
    const errors: number[] = [];
    for (const trials of [10, 1000]) {
      const mc = await FIMMonteCarlo({ model, loader: batches, representation: PMatDense, trials, seed: 3, runtime: "js" });
      errors.push(relativeError(mc.toDense(), exact.toDense()));
    }
    expect(errors[1]).toBeLessThan(0.1);
    expect(errors[1]).toBeLessThan(errors[0]);
    const mcKfac = await FIMMonteCarlo({ model, loader: batches, representation: PMatKFAC, trials: 1000, seed: 3, runtime: "js" });
    const kfac = await FIM({ model, loader: batches, representation: PMatKFAC, runtime: "js" });
    expect(relativeError(mcKfac.toDense(), kfac.toDense())).toBeLessThan(0.1);
  });

  it("PMatImplicit: CG with a perfect preconditioner in one iteration, and with a block-diagonal one", async () => {
    const implicit = await FIM({ model, loader: batches, representation: PMatImplicit, runtime: "js" });
    const dense = await FIM({ model, loader: batches, representation: PMatDense, runtime: "js" });
    const blocks = await FIM({ model, loader: batches, representation: PMatBlockDiag, runtime: "js" });
    const b = dense.mv(v).add(v.scale(REGUL));
    expectClose((await implicit.solve(b, { regul: REGUL, M: dense, maxIter: 1 })).toFlat(), v.toFlat(), "perfect preconditioner", 1e-8);
    expectClose((await implicit.solve(b, { regul: REGUL, x0: v, maxIter: 1 })).toFlat(), v.toFlat(), "perfect x0", 1e-12);
    expectClose((await implicit.solve(b, { regul: REGUL, M: blocks, maxIter: 100, rtol: 1e-10 })).toFlat(), v.toFlat(), "block-diagonal preconditioner", 1e-6);
    // tol = max(rtol ‖b‖, atol): an atol above ‖b - A x0‖ returns x0 untouched; with rtol 0 a tight atol reaches the solution.
    const start = v.scale(0.5);
    expectClose((await implicit.solve(b, { regul: REGUL, x0: start, rtol: 0, atol: 1e10 })).toFlat(), start.toFlat(), "atol above the start's residual", 1e-15);
    expectClose((await implicit.solve(b, { regul: REGUL, x0: start, rtol: 0, atol: 1e-10 })).toFlat(), v.toFlat(), "rtol 0, atol 1e-10", 1e-6);
    expectClose(await implicit.toDense(), dense.toDense(), "toDense");
    const map = new PFMapDense(lc, new Tensor("float64", [1, 2, lc.numel()], new Float64Array([...v.toFloat64(), ...w.toFloat64()])));
    expectClose((await implicit.mmap(map)).rows(), dense.mmap(map).rows(), "mmap");
  });
});
