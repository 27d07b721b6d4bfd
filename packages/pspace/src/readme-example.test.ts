// The package README's example, run as written (with its data drawn here).
import { Linear, Sequential, Tanh } from "@curv/autodiff";
import { Generator, type Tensor } from "@curv/tensor";
import { expect, it } from "vitest";
import { FIM, PMatEKFAC, PMatKFAC, PVector } from "./index.js";

it("README: KFAC and EKFAC of a small MLP", async () => {
  const generator = new Generator(0);
  const [[X0, y0], [X1, y1], [X2, y2]] = [4, 4, 4].map((n): [Tensor, Tensor] => [generator.normal([n, 6], { dtype: "float64" }), generator.integers(0, 4, [n], "int64")]);

  const model = new Sequential(new Linear(6, 5, { dtype: "float64" }), new Tanh(), new Linear(5, 4, { dtype: "float64" }));
  const loader = [[X0, y0], [X1, y1], [X2, y2]] as [Tensor, Tensor][];

  const F = await FIM({ model, loader, representation: PMatKFAC, runtime: "js" });
  F.trace(); F.frobeniusNorm(); F.getDiag();
  const v = PVector.fromModel(model);
  F.vTMv(v); F.mv(v).norm();
  const natural = F.solve(v, { regul: 1e-3 });
  const root = F.pow(0.5).toDense();
  expect(F.byteLength).toBe(8 * (7 * 7 + 5 * 5 + 6 * 6 + 4 * 4));

  const E = await FIM({ model, loader, representation: PMatEKFAC });
  await E.updateDiag(loader);
  expect(E.trace()).toBeGreaterThan(0);
  expect(natural.size()).toEqual([59]);
  expect(root.shape).toEqual([59, 59]);
});
