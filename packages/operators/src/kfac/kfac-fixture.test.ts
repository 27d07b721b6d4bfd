// KFAC and EKFAC on the mlp-mse fixture (PyTorch 1.13 + curvlinops' conventions): the dense P x P
// matrices, joint and separate, and the per-layer factors; js in float64 and ORT CPU in float32.
import { MSELoss } from "@curv/autodiff";
import type { FloatDType, Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { EKFACLinearOperator } from "./ekfac-linear-operator.js";
import { KFACLinearOperator } from "./kfac-linear-operator.js";
import { FIXTURE_FACTORS, FIXTURE_PARAMETERS, fixtureMatrix, fixtureProblem } from "./testing/mlp-mse-fixture.js";

/** Relative to the largest entry of the reference (entries that are 0 in exact arithmetic are not compared relatively). */
function expectClose(actual: Tensor, expected: Tensor | ArrayLike<number>, rtol: number, what: string): void {
  const values = "data" in expected ? (expected.data as ArrayLike<number>) : expected;
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  const report = compare(actual.data as ArrayLike<number>, values, { rtol, atol: rtol * largest });
  expect(report.ok, `${what}: ${report.message}`).toBe(true);
}

const RUNTIMES = [
  { runtime: "js", dtype: "float64", rtol: 1e-10, ekfacRtol: 1e-8 },
  { runtime: "ort", dtype: "float32", rtol: 1e-4, ekfacRtol: 1e-4 },
] as const;

const MATRICES = [
  { name: "kfac", Operator: KFACLinearOperator, separateWeightAndBias: false },
  { name: "kfac_separate", Operator: KFACLinearOperator, separateWeightAndBias: true },
  { name: "ekfac", Operator: EKFACLinearOperator, separateWeightAndBias: false },
  { name: "ekfac_separate", Operator: EKFACLinearOperator, separateWeightAndBias: true },
] as const;

function operatorOn<D extends FloatDType>(Operator: typeof KFACLinearOperator | typeof EKFACLinearOperator, dtype: D, runtime: "js" | "ort", separateWeightAndBias: boolean) {
  const { model, batches } = fixtureProblem(dtype);
  return new Operator<D>(model, new MSELoss(), FIXTURE_PARAMETERS, batches, { fisherType: "type-2", separateWeightAndBias, runtime });
}

describe.each(RUNTIMES)("KFAC and EKFAC on the mlp-mse fixture ($runtime, $dtype)", ({ runtime, dtype, rtol, ekfacRtol }) => {
  it.each(MATRICES)("$name: the dense matrix", async ({ name, Operator, separateWeightAndBias }) => {
    const operator = operatorOn(Operator, dtype, runtime, separateWeightAndBias);
    expectClose(await operator.toDense(), fixtureMatrix(name), name.startsWith("ekfac") ? ekfacRtol : rtol, name);
  });

  it("kfac_factors: A (with the bias' one) and G of every layer; the separate A is its weight block", async () => {
    const joint = await operatorOn(KFACLinearOperator, dtype, runtime, false).factors();
    const separate = await operatorOn(KFACLinearOperator, dtype, runtime, true).factors();
    expect(Object.keys(joint)).toEqual(FIXTURE_FACTORS.map((f) => f.layer));
    for (const reference of FIXTURE_FACTORS) {
      const { inputCovariance, gradientCovariance, weight, bias, kind } = joint[reference.layer];
      expect([weight, bias, kind]).toEqual([...reference.params, "Linear"]);
      expectClose(inputCovariance!, reference.A.data, rtol, `A of layer ${reference.layer}`);
      expectClose(gradientCovariance, reference.G.data, rtol, `G of layer ${reference.layer}`);
      const n = reference.A.shape[0] - 1;
      const weightBlock = Array.from({ length: n * n }, (_, k) => reference.A.data[Math.floor(k / n) * (n + 1) + (k % n)]);
      expectClose(separate[reference.layer].inputCovariance!, weightBlock, rtol, `separate A of layer ${reference.layer}`);
      expectClose(separate[reference.layer].gradientCovariance, reference.G.data, rtol, `separate G of layer ${reference.layer}`);
    }
  });
});
