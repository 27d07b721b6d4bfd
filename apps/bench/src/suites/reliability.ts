import { Linear, MSELoss, Sequential, Tanh, type Module } from "@curv/autodiff";
import { GGNLinearOperator } from "@curv/operators";
import { Generator, Tensor, type RuntimeName } from "@curv/tensor";
import type { BenchCase, BenchSuite } from "../suite.js";

const DEPTHS = [250, 500, 1000, 2000];

/**
 * A Linear layer and `depth` Tanh layers: the GGN program of this chain has
 * about 12 ONNX nodes per layer (24,000 at depth 2000). Each call widens the
 * input by one, so the graph is new and nothing comes from the compile cache.
 */
function deepChain(depth: number, inputs: number, generator: Generator): Module {
  return new Sequential(new Linear(inputs, 4, { generator }), ...Array.from({ length: depth }, () => new Tanh()));
}

/** Trace, transform, compile (ORT session creation included) and one GGN-vector product of a deep chain. */
const deepChainCases = [...DEPTHS.map((depth) => [depth, "ort"] as const), [1000, "js"] as const].map(
  ([depth, runtime]: readonly [number, RuntimeName]): BenchCase => ({
    name: `deep chain compile+matvec depth=${depth} ${runtime}`,
    n: depth,
    iterations: 2,
    extra: { runtime, dtype: "float32", layers: depth },
    prepare: () => {
      let width = 4;
      return async () => {
        const generator = new Generator(depth);
        const model = deepChain(depth, ++width, generator);
        const data = [[generator.normal([8, width]), generator.normal([8, 4])]] as [Tensor, Tensor][];
        const names = model.namedParameters().map(([name]) => name);
        const ggn = new GGNLinearOperator(model, new MSELoss(), names, data, { runtime, checkDeterministic: false });
        await ggn.matvec(new Tensor("float32", [ggn.shape[1]]));
      };
    },
  }),
);

export const reliabilitySuite: BenchSuite = {
  name: "reliability",
  description: "compile time of deep graphs (issue 15): a chain of 250-2000 layers, GGN-vector product on ORT (linear in depth) and js",
  cases: () => deepChainCases,
};
