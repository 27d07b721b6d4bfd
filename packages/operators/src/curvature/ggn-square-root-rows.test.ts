// ggnSquareRootRows: Σ r rᵀ over batches, examples and seeds is the GGN, for
// every loss and both square roots of cross-entropy's Hessian.
import { CrossEntropyLoss } from "@curv/autodiff";
import { Tensor } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { ggnSquareRootRows } from "./ggn-diagonal-linear-operator.js";
import { GGNLinearOperator } from "./ggn-linear-operator.js";
import { PROBLEMS, cnnCrossEntropy } from "./testing/problems.js";

async function gramOfRows(problem: ReturnType<typeof cnnCrossEntropy>): Promise<{ gram: Float64Array; size: number; rowsPerExample: number[] }> {
  const names = problem.model.namedParameters().map(([name]) => name);
  const size = problem.model.namedParameters().reduce((n, [, t]) => n + t.size, 0);
  const gram = new Float64Array(size * size);
  const rowsPerExample: number[] = [];
  await ggnSquareRootRows(problem.model, problem.loss, names, problem.batches, { runtime: "js" }, (rows) => {
    const [examples, seeds] = rows[0].shape;
    rowsPerExample.push(seeds);
    for (let n = 0; n < examples; n++) {
      for (let k = 0; k < seeds; k++) {
        const flat = rows.flatMap((r) => {
          const per = r.size / (examples * seeds);
          return Array.from((r.data as Float64Array).subarray((n * seeds + k) * per, (n * seeds + k + 1) * per));
        });
        for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) gram[i * size + j] += flat[i] * flat[j];
      }
    }
  });
  return { gram, size, rowsPerExample };
}

describe.each(PROBLEMS.map((make) => [make().name, make] as const))("ggnSquareRootRows: %s", (_, make) => {
  it("Σ r rᵀ is the GGN", async () => {
    const problem = make();
    const names = problem.model.namedParameters().map(([name]) => name);
    const dense = await new GGNLinearOperator(problem.model, problem.loss, names, problem.batches, { runtime: "js", squareRootCache: "never" }).toDense();
    const { gram, size } = await gramOfRows(problem);
    assertAllClose(new Tensor("float64", [size, size], gram), dense, { rtol: 1e-10, atol: 1e-12 }, "Σ r rᵀ");
  });
});

describe("ggnSquareRootRows with CrossEntropyLoss({ hessianSqrt: \"cholesky\" })", () => {
  it("gives the same GGN, with a zero last seed per example", async () => {
    const problem = { ...cnnCrossEntropy(), loss: new CrossEntropyLoss({ hessianSqrt: "cholesky" }) };
    const names = problem.model.namedParameters().map(([name]) => name);
    const dense = await new GGNLinearOperator(problem.model, new CrossEntropyLoss(), names, problem.batches, { runtime: "js", squareRootCache: "never" }).toDense();
    const { gram, size } = await gramOfRows(problem);
    assertAllClose(new Tensor("float64", [size, size], gram), dense, { rtol: 1e-10, atol: 1e-12 }, "Σ r rᵀ");
    await ggnSquareRootRows(problem.model, problem.loss, names, problem.batches, { runtime: "js" }, (rows) => {
      const [examples, seeds] = rows[0].shape;
      for (const r of rows) {
        const per = r.size / (examples * seeds);
        for (let n = 0; n < examples; n++) {
          const last = (r.data as Float64Array).subarray((n * seeds + seeds - 1) * per, (n * seeds + seeds) * per);
          expect(Math.max(...Array.from(last, Math.abs))).toBe(0);
        }
      }
    });
  });
});
