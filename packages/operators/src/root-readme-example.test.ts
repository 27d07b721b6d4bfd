// The "Curvature in a few lines" example of the repository README, kept true:
// the same code, checked against dense references built here.
import { Linear, MSELoss, ReLU, Sequential } from "@curv/autodiff";
import { Generator, matmul, slogdet, type Tensor } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { GGNLinearOperator, HessianLinearOperator, KFACLinearOperator } from "./index.js";

describe("the README's curvature example", () => {
  it("runs as written and agrees with dense computations", async () => {
    const g = new Generator(0);
    const model = new Sequential(new Linear(7, 5, { generator: g }), new ReLU(), new Linear(5, 3, { generator: g }));
    const data: [Tensor, Tensor][] = [[g.normal([4, 7]), g.normal([4, 3])], [g.normal([4, 7]), g.normal([4, 3])]];
    const params = model.namedParameters().map(([name]) => name);

    const hessian = new HessianLinearOperator(model, new MSELoss(), params, data);
    const v = g.normal([hessian.shape[1]]);
    const hv = await hessian.matvec(v);
    const ggn = await new GGNLinearOperator(model, new MSELoss(), params, data).toDense();
    const kfac = new KFACLinearOperator(model, new MSELoss(), params, data);
    const logdet = await kfac.logdet();

    const p = 5 * 7 + 5 + 3 * 5 + 3;
    expect(hv.shape).toEqual([p]);
    assertAllClose(hv, matmul(await hessian.toDense(), v.reshape([p, 1])).reshape([p]), { rtol: 1e-4, atol: 1e-6 }, "H v");
    expect(ggn.shape).toEqual([p, p]);
    assertAllClose(ggn, ggn.transpose(), { rtol: 1e-5, atol: 1e-7 }, "GGN symmetry");
    const dense = (await kfac.toDense()).astype("float64");
    const { logAbsDet } = slogdet(dense);
    expect(logdet).toBeCloseTo(logAbsDet, 2);
  });
});
