import { eigsh, type LinearOperator } from "@curv/operators";
import { eigh, matmul, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { tourOperators, tourProblem } from "./tour-problem.js";

// Issue 10: top-k eigenpairs of the curvature tour CNN's Hessian and GGN
// (683 parameters, float64, ORT CPU) against dense eigh, to 1e-8. The data
// are the tour's first batch (20 of its 50 examples): every dense matrix costs
// 683 products, and float64 convolutions on ORT's CPU run as unfold + MatMul,
// so the full data set would make this test take minutes.

async function check(name: string, operator: LinearOperator, k: number, which: "LA" | "BE") {
  const dense = (await operator.toDense()) as Tensor<"float64">;
  const reference = eigh(dense, { symmetryTolerance: 1e-8 }).eigenvalues.toArray();
  const n = reference.length;
  const expected = which === "LA" ? reference.slice(n - k) : [...reference.slice(0, Math.floor(k / 2)), ...reference.slice(n - Math.ceil(k / 2))];
  const result = await eigsh(operator, { k, which, ncv: 40 });
  const scale = Math.max(...reference.map(Math.abs));
  result.eigenvalues.forEach((value, i) => expect(Math.abs(value - expected[i]) / scale, `${name} eigenvalue ${i}`).toBeLessThan(1e-8));
  // Residuals against the dense matrix: ‖H y − λ y‖ / ‖H‖.
  const products = matmul(dense, result.eigenvectors as Tensor<"float64">);
  for (let j = 0; j < k; j++) {
    let residual = 0;
    for (let i = 0; i < n; i++) residual += (products.data[i * k + j] - result.eigenvalues[j] * result.eigenvectors!.data[i * k + j]) ** 2;
    expect(Math.sqrt(residual) / scale, `${name} residual ${j}`).toBeLessThan(1e-8);
  }
  return result;
}

describe("eigsh on the curvature tour CNN (float64, ORT CPU)", () => {
  const { hessian, ggn } = tourOperators(tourProblem({ batches: 1 }));
  it("top-8 eigenpairs of the GGN match dense eigh to 1e-8", async () => {
    await check("GGN", ggn, 8, "LA");
  }, 300_000);
  it("both ends (4 + 4) of the Hessian, which has negative eigenvalues, match dense eigh to 1e-8", async () => {
    await check("Hessian", hessian, 8, "BE");
  }, 300_000);
});
