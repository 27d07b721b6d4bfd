// The README's examples, run (js runtime, small random batches).
import { Conv2d, CrossEntropyLoss, Flatten, Linear, ReLU, Sequential, decodeSafetensors, encodeSafetensors } from "@curv/autodiff";
import { Generator, tensor, type Tensor } from "@curv/tensor";
import { describe, expect, it } from "vitest";
import { SINGD } from "./index.js";

function cnn(): Sequential {
  const generator = new Generator(0);
  return new Sequential(
    new Conv2d(1, 3, 5, { stride: 2, generator }), new ReLU(), new Flatten(),
    new Linear(432, 50, { generator }), new ReLU(), new Linear(50, 10, { generator }),
  );
}

const generator = new Generator(1);
const batches: [Tensor, Tensor][] = [0, 1, 2].map(() => [
  generator.normal([4, 1, 28, 28], { dtype: "float32" }), tensor([0, 3, 5, 9], { dtype: "int64" }),
]);

describe("README examples", () => {
  it("trains the CNN with hierarchical K and diagonal C, and writes a safetensors checkpoint", async () => {
    const model = cnn();
    const before = model.stateDict()["3.weight"].data.slice();
    const singd = new SINGD(model, new CrossEntropyLoss(), {
      lr: 5e-3, momentum: 0.9, damping: 1e-3, alpha1: 0.5, T: 10, lrCov: 1e-2,
      structures: ["hierarchical15_15", "diagonal"], runtime: "js",
    });
    for (const [X, y] of batches) expect(Number.isFinite(await singd.step([X, y]))).toBe(true);
    expect(model.stateDict()["3.weight"].data).not.toEqual(before);
    const checkpoint = encodeSafetensors(singd.stateDict());
    expect(decodeSafetensors(checkpoint).tensors["Ks.3.A"].shape).toEqual([15, 15]);
  });

  it("parameter groups set structures and T per layer", async () => {
    const model = cnn();
    const singd = new SINGD(model, new CrossEntropyLoss(), {
      lr: 1e-3, runtime: "js",
      params: [
        { params: ["0.weight", "0.bias"], structures: ["diagonal", "diagonal"], T: 1 },
        { params: ["3.weight", "3.bias", "5.weight", "5.bias"], structures: ["dense", "dense"], T: 3 },
      ],
    });
    await singd.step(batches[0]);
    expect(singd.layers.map((l) => [l.name, l.options.structures[0].structureName, l.options.T])).toEqual([["0", "diagonal", 1], ["3", "dense", 3], ["5", "dense", 3]]);
  });
});
