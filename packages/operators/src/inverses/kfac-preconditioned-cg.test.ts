import { Linear, MSELoss, ReLU, Sequential } from "@curv/autodiff";
import { Generator, eye, solve, type Tensor } from "@curv/tensor";
import { compare } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { GGNLinearOperator } from "../curvature/ggn-linear-operator.js";
import { IdentityLinearOperator } from "../identity-linear-operator.js";
import { KFACLinearOperator } from "../kfac/kfac-linear-operator.js";
import { CGInverseLinearOperator } from "./cg-inverse-linear-operator.js";

// CG on a damped GGN with a damped KFAC inverse as preconditioner (curvlinops'
// "inverses" example), on the js runtime in float64, against a dense solve.
describe("CGInverseLinearOperator with a KFAC preconditioner", () => {
  it("solves (GGN + δI) X = B for 3 right-hand sides to 1e-8 relative", async () => {
    const g = new Generator(0);
    const model = new Sequential(new Linear(6, 5, { generator: g, dtype: "float64" }), new ReLU(), new Linear(5, 3, { generator: g, dtype: "float64" }));
    const data: [Tensor, Tensor][] = [0, 1].map(() => [g.normal([8, 6], { dtype: "float64" }), g.normal([8, 3], { dtype: "float64" })]);
    const params = model.namedParameters().map(([name]) => name);
    const options = { runtime: "js", dtype: "float64" } as const;
    const ggn = new GGNLinearOperator(model, new MSELoss(), params, data, options);
    const damping = 1e-2;
    const damped = ggn.add(new IdentityLinearOperator(ggn.inputShapes, "float64").scale(damping));
    const kfac = new KFACLinearOperator(model, new MSELoss(), params, data, { ...options, fisherType: "type-2" });
    const preconditioner = await kfac.inverse({ damping, exactDamping: true });
    const cg = new CGInverseLinearOperator(damped, { tolerance: 1e-12, preconditioner });
    const p = ggn.shape[0];
    const b = g.normal([p, 3], { dtype: "float64" });
    const x = await cg.matmat(b);
    const dense = await ggn.toDense();
    const system = dense.clone();
    const identity = eye(p, p, "float64");
    for (let i = 0; i < system.data.length; i++) system.data[i] += damping * identity.data[i];
    const report = compare(x, solve(system, b), { rtol: 1e-8, atol: 1e-10 });
    expect(report.ok, report.message).toBe(true);
    expect(cg.lastSolve!.status).toEqual(["converged", "converged", "converged"]);
  }, 60_000);
});
