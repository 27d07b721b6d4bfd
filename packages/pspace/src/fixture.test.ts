// Every entry of NNGeometry's own numbers (fixtures/nngeometry): float64 on
// the js runtime to 1e-10 relative (EKFAC 1e-8), float32 on ORT CPU to 1e-4.
import { jsonTensor, type NngeometryRepresentation } from "@curv/fixtures";
import { describe, expect, it } from "vitest";
import { FIM, type PMatRepresentation } from "./helpers/fim.js";
import { GramMatrix, Jacobian } from "./helpers/jacobian.js";
import { PFMapImplicit } from "./map/pfmap-implicit.js";
import { PMatImplicit } from "./pmat/pmat-implicit.js";
import { LayerCollection } from "./layers/layer-collection.js";
import { PMatBlockDiag } from "./pmat/pmat-block-diag.js";
import { PMatDense } from "./pmat/pmat-dense.js";
import { PMatDiag } from "./pmat/pmat-diag.js";
import { PMatEKFAC } from "./pmat/pmat-ekfac.js";
import { PMatKFAC } from "./pmat/pmat-kfac.js";
import { PMatLowRank } from "./pmat/pmat-low-rank.js";
import { PMatQuasiDiag } from "./pmat/pmat-quasi-diag.js";
import { fixtureModel, relativeError } from "./testing/nngeometry-fixture.js";
import { PVector } from "./vector/pvector.js";
import type { PMatAbstract } from "./pmat/pmat-abstract.js";

const REPRESENTATIONS: Record<string, PMatRepresentation<PMatAbstract>> = { PMatDense, PMatDiag, PMatBlockDiag, PMatKFAC, PMatEKFAC, PMatQuasiDiag, PMatLowRank };

const RUNS = [
  { name: "float64, js runtime", dtype: "float64", runtime: "js", tolerance: 1e-10, ekfac: 1e-8 },
  { name: "float32, ORT CPU", dtype: "float32", runtime: "ort", tolerance: 1e-4, ekfac: 1e-4 },
] as const;

describe.each(RUNS)("FIM(classif_logits) against NNGeometry: $name", ({ dtype, runtime, tolerance, ekfac }) => {
  const { golden, model, batches } = fixtureModel(dtype);
  const v = PVector.fromFlat(LayerCollection.fromModel(model), jsonTensor(golden.v, dtype));

  it("the layer collection is NNGeometry's", () => {
    const lc = LayerCollection.fromModel(model);
    expect(lc.layers.map((l) => ({ id: l.id, numel: l.numel, has_bias: l.bias !== undefined }))).toEqual(
      golden.layer_collection.map(({ id, numel, has_bias }) => ({ id, numel, has_bias })),
    );
    expect(lc.numel()).toBe(golden.P);
  });

  it.each(Object.keys(REPRESENTATIONS) as NngeometryRepresentation[])("%s", async (name) => {
    const expected = golden.fim[name];
    const F = await FIM({ model, loader: batches, representation: REPRESENTATIONS[name], runtime });
    const tol = name === "PMatEKFAC" ? ekfac : tolerance;
    const check = (what: string, actual: Parameters<typeof relativeError>[0], reference: Parameters<typeof relativeError>[1]) =>     {
      const error = relativeError(actual, reference);
      // PSPACE_REPORT=1 prints every error reached, for the package README's table.
      if (process.env.PSPACE_REPORT) console.log(`${dtype} ${name} ${what}: ${error.toExponential(2)}`);
      expect(error, `${name} ${what}`).toBeLessThan(tol);
    };
    check("dense", F.toDense(), expected.dense as never);
    if (expected.diag !== undefined && !("error" in expected.diag)) check("diag", F.getDiag(), expected.diag);
    check("trace", F.trace(), expected.trace);
    if (expected.frobenius_norm !== undefined) check("frobenius norm", F.frobeniusNorm(), expected.frobenius_norm);
    check("mv", F.mv(v).toFlat(), expected.mv);
    check("vTMv", F.vTMv(v), expected.vTMv);
    if (expected["solve_regul_1e-3"] !== undefined) check("solve", F.solve(v, { regul: 1e-3 }).toFlat(), expected["solve_regul_1e-3"]);
    const inverse = expected["inv_regul_1e-3_dense"];
    if (inverse !== undefined) check("inverse", (F as unknown as { inverse(r: number): PMatAbstract }).inverse(1e-3).toDense(), inverse);
    if (F instanceof PMatKFAC) check("dense, joint weight and bias", F.toDense({ splitWeightBias: false }), expected.dense_joint_weight_bias as never);
    if (F instanceof PMatEKFAC) {
      // NNGeometry's get_diag() raises without an argument; curv gives the diagonal, here checked against the dense matrix.
      const dense = F.toDense();
      const p = golden.P;
      check("diag (curv's)", F.getDiag(), Array.from({ length: p }, (_, i) => (dense.data as ArrayLike<number>)[i * p + i]));
      expect(F.hasKFACCoefficients).toBe(true);
      await F.updateDiag(batches);
      expect(F.hasKFACCoefficients).toBe(false);
      const after = expected.after_update_diag as NonNullable<typeof expected.after_update_diag>;
      check("dense after updateDiag", F.toDense(), after.dense);
      check("trace after updateDiag", F.trace(), after.trace);
      check("mv after updateDiag", F.mv(v).toFlat(), after.mv);
    }
  });
});

describe.each(RUNS)("implicit FIM, regression FIM, Jacobian and Gram matrix against NNGeometry: $name", ({ dtype, runtime, tolerance }) => {
  const { golden, model, batches } = fixtureModel(dtype);
  const lc = LayerCollection.fromModel(model);
  const v = PVector.fromFlat(lc, jsonTensor(golden.v, dtype));
  const check = (what: string, actual: Parameters<typeof relativeError>[0], reference: Parameters<typeof relativeError>[1]) => {
    const error = relativeError(actual, reference);
    if (process.env.PSPACE_REPORT) console.log(`${dtype} ${what}: ${error.toExponential(2)}`);
    expect(error, what).toBeLessThan(tolerance);
  };

  it("PMatImplicit: trace, mv, vTMv", async () => {
    const F = await FIM({ model, loader: batches, representation: PMatImplicit, runtime });
    const expected = golden.fim.PMatImplicit;
    check("PMatImplicit trace", await F.trace(), expected.trace);
    check("PMatImplicit mv", (await F.mv(v)).toFlat(), expected.mv);
    check("PMatImplicit vTMv", await F.vTMv(v), expected.vTMv);
  });

  it("FIM(regression) as PMatDense", async () => {
    const regression = fixtureModel(dtype, { regression: true });
    const F = await FIM({ model: regression.model, loader: regression.batches, representation: PMatDense, variant: "regression", runtime });
    check("FIM(regression) dense", F.toDense(), golden.fim_regression_dense);
  });

  it("Jacobian [C, N, P] and GramMatrix [C, N, C, N]", async () => {
    const J = await Jacobian({ model, loader: batches, runtime });
    expect(J.size()).toEqual([golden.C, golden.N, golden.P]);
    check("jacobian", J.toDense(), golden.jacobian);
    const K = await GramMatrix({ model, loader: batches, runtime });
    expect(K.size()).toEqual([golden.C, golden.N, golden.C, golden.N]);
    check("gram", K.toDense(), golden.gram);
    const implicit = await Jacobian({ model, loader: batches, runtime, representation: PFMapImplicit });
    check("PFMapImplicit jvp", (await implicit.jvp(v)).toDense(), J.jvp(v).toDense());
  });
});
