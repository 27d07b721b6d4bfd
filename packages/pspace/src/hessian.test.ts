// NNGeometry's check: on a model linear in its parameters the GGN is the
// Hessian, so FIM(classif_logits) = Hessian(cross-entropy, sum) / n.
import { CrossEntropyLoss, Linear, Sequential } from "@curv/autodiff";
import { Generator, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { FIM } from "./helpers/fim.js";
import { Hessian } from "./helpers/hessian.js";
import { LayerCollection } from "./layers/layer-collection.js";
import { PMatDense } from "./pmat/pmat-dense.js";
import { PMatImplicit } from "./pmat/pmat-implicit.js";
import { relativeError } from "./testing/nngeometry-fixture.js";
import { PVector } from "./vector/pvector.js";

describe("Hessian", () => {
  const generator = new Generator(9);
  const model = new Sequential(new Linear(5, 3, { generator, dtype: "float64" }));
  const batches = [4, 3].map((n): [Tensor<"float64">, Tensor] => [generator.normal([n, 5], { dtype: "float64" }), generator.integers(0, 3, [n], "int64")]);
  const lossFunction = new CrossEntropyLoss({ reduction: "sum" });

  it("equals n · FIM on a model linear in its parameters; dense and implicit agree", async () => {
    const H = await Hessian({ model, loader: batches, lossFunction, runtime: "js" });
    const F = await FIM({ model, loader: batches, representation: PMatDense, runtime: "js" });
    expect(relativeError(H.scale(1 / 7).toDense(), F.toDense())).toBeLessThan(1e-12);
    const implicit = await Hessian({ model, loader: batches, lossFunction, representation: PMatImplicit, runtime: "js" });
    const v = PVector.random(LayerCollection.fromModel(model), generator);
    expect(relativeError((await implicit.mv(v)).toFlat(), H.mv(v).toFlat())).toBeLessThan(1e-12);
    expect(await implicit.vTMv(v)).toBeCloseTo(H.vTMv(v), 12);
    await expect(implicit.trace()).rejects.toThrow(/not available for this matrix/);
  });
});
