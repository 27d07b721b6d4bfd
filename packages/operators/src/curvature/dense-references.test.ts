// Every curvature operator against dense references built independently
// (finite differences of the forward and of the gradient, the loss'
// output Hessian and gradient written out; see testing/dense-curvature.ts),
// in float64 on js, with curvlinops' tolerances (rtol 1e-5, atol 1e-8).
import { Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { EFLinearOperator } from "./ef-linear-operator.js";
import { GGNDiagonalLinearOperator } from "./ggn-diagonal-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { HessianLinearOperator } from "./hessian-linear-operator.js";
import { JacobianLinearOperator } from "./jacobian-linear-operator.js";
import { denseCurvature, type DenseCurvature } from "./testing/dense-curvature.js";
import { PROBLEMS, type NamedProblem } from "./testing/problems.js";

const TOLERANCE = { rtol: 1e-5, atol: 1e-8 };

function expectClose(actual: Tensor, expected: Tensor, what: string): void {
  const result = compare(actual, expected, TOLERANCE);
  expect(result.ok, `${what}: ${result.message}`).toBe(true);
}

function diagonalOf(m: Tensor): Tensor<"float64"> {
  const n = m.shape[0];
  return new Tensor("float64", [n], Float64Array.from({ length: n }, (_, i) => m.data[i * n + i] as number));
}

describe.each(PROBLEMS.map((make) => [make().name, make] as const))("%s", (_name, make) => {
  const problem: NamedProblem = make();
  const names = problem.model.namedParameters().map(([name]) => name);
  const options = { runtime: "js" } as const;
  let reference: Promise<DenseCurvature> | undefined;
  const dense = () => (reference ??= denseCurvature(problem));

  it("Hessian = finite differences of the gradient", async () => {
    const operator = new HessianLinearOperator(problem.model, problem.loss, names, problem.batches, options);
    expectClose(await operator.toDense(), (await dense()).hessian, "Hessian");
  });

  it("GGN = Σ Jᵀ (loss Hessian) J, with J from finite differences", async () => {
    const operator = new GGNLinearOperator(problem.model, problem.loss, names, problem.batches, options);
    expectClose(await operator.toDense(), (await dense()).ggn, "GGN");
  });

  it("empirical Fisher = (1/R) Σ over loss terms of g gᵀ", async () => {
    const operator = new EFLinearOperator(problem.model, problem.loss, names, problem.batches, options);
    expectClose(await operator.toDense(), (await dense()).ef, "EF");
  });

  it("GGN diagonal = the reference GGN's diagonal", async () => {
    const operator = await GGNDiagonalLinearOperator.compute(problem.model, problem.loss, names, problem.batches, options);
    expectClose(operator.values, diagonalOf((await dense()).ggn), "GGN diagonal");
  });

  it("Jacobian and its transpose = finite differences of the outputs", async () => {
    const operator = new JacobianLinearOperator(problem.model, names, problem.batches, options);
    const { jacobian } = await dense();
    expect(operator.shape).toEqual(jacobian.shape);
    expectClose(await operator.toDense(), jacobian, "J");
    expectClose(await operator.adjoint().toDense(), jacobian.transpose(), "Jᵀ");
  });
});
