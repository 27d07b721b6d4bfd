import { Generator } from "@curv/tensor";
import { assertAllClose } from "@curv/tensor/test";
import { describe, expect, it } from "vitest";
import { denseCombination, denseProduct, denseTranspose, identity } from "./testing/dense-reference.js";
import { STRUCTURE_CASES } from "./testing/structure-cases.js";

// The README's example: two of SINGD's pre-conditioner steps
// K ← K(I − β m) with m = ½[Π(Kᵀ a aᵀ K) + λ Π(KᵀK) − I], chained in the
// structure and checked against the same chain on dense matrices with the
// reference projection after each Π.

describe("SINGD-style update of K stays in the structure", () => {
  it.each(STRUCTURE_CASES.map((c) => [c.structure.structureName, c] as const))("%s", (name, { structure, project }) => {
    const n = 37;
    const g = new Generator(7);
    let k = structure.eye(n);
    let dense = identity(n);
    for (let step = 0; step < 2; step++) {
      const a = g.normal([n, 8], { dtype: "float64" });
      const m = structure.zeros(n).addInPlace(k.fromInner(a)).addInPlace(k.fromInner(), 1e-3).diagAddInPlace(-1).mulInPlace(0.5);
      k = k.sub(k.matmul(m).mul(1e-2));
      const s = denseProduct(denseTranspose(dense), a);
      const mDense = denseCombination(
        [0.5, project(denseProduct(s, denseTranspose(s)))],
        [0.5e-3, project(denseProduct(denseTranspose(dense), dense))],
        [-0.5, identity(n)],
      );
      dense = denseCombination([1, dense], [-1e-2, denseProduct(dense, mDense)]);
    }
    expect(k.structureName).toBe(name);
    assertAllClose(k.toDense(), dense, { rtol: 1e-10, atol: 1e-12 }, `${name}: K after two updates`);
  });
});
