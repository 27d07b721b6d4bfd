import {
  compileProgram, Conv2d, CrossEntropyLoss, Flatten, functionalCall, ggnVectorProduct, hvp, input, Linear, makeProgram, ModelInputs, ReLU,
  Sequential, valueAndGrad, type Module, type Program, type Value,
} from "@curv/autodiff";
import { Generator, Tensor, type RuntimeName } from "@curv/tensor";
import type { CaseResult } from "../measure-case.js";
import type { BenchCase, BenchSuite, SuiteSummary } from "../suite.js";

// The autodiff issue's benchmark (section 6): gradient, Hessian-vector
// product and GGN-vector product of a mean cross-entropy loss with respect
// to all parameters, float32, on ORT CPU with 2 threads and on the js
// interpreter. Each program is traced, transformed and compiled once in
// prepare(); the timed call is one run on fixed feeds. Each case's JSON entry
// carries PyTorch 1.13's time on the reference machine (`pytorch_ms`).

export type Product = "gradient" | "hvp" | "ggnvp";

export interface Network {
  name: "mlp" | "cnn";
  /** PyTorch 1.13 on the reference machine (float32, 2 threads), ms per product: the target for ORT CPU. */
  pytorchMs: Readonly<Record<Product, number>>;
  /** The data's shape after the batch axis. */
  features: number[];
  batch: number;
  classes: number;
  make(generator: Generator): Module;
}

export const NETWORKS: readonly Network[] = [
  {
    name: "mlp",
    pytorchMs: { gradient: 2.5, hvp: 6.1, ggnvp: 5.7 },
    features: [784],
    batch: 128,
    classes: 10,
    make: (generator) => new Sequential(new Linear(784, 256, { generator }), new ReLU(), new Linear(256, 256, { generator }), new ReLU(), new Linear(256, 10, { generator })),
  },
  {
    name: "cnn",
    pytorchMs: { gradient: 9.9, hvp: 29.7, ggnvp: 28.8 },
    features: [3, 32, 32],
    batch: 64,
    classes: 10,
    make: (generator) =>
      new Sequential(
        new Conv2d(3, 16, 3, { padding: 1, generator }),
        new ReLU(),
        new Conv2d(16, 32, 3, { stride: 2, padding: 1, generator }),
        new ReLU(),
        new Flatten(),
        new Linear(32 * 16 * 16, 10, { generator }),
      ),
  },
];

const RUNTIMES: { runtime: RuntimeName; threads?: number }[] = [{ runtime: "ort", threads: 2 }, { runtime: "js" }];
const PRODUCTS: Product[] = ["gradient", "hvp", "ggnvp"];

/**
 * The program of one product of mean cross-entropy for float32 inputs of
 * shape `[batch, ...features]`: inputs `x`, `y`, the parameters and (for
 * products with a vector) one probe per parameter. The transformer suite uses it too.
 */
export function productProgram(model: Module, network: { readonly name: string; readonly features: readonly number[] }, product: Product): Program {
  const leaves = ModelInputs.of(model);
  const x = input("x", "float32", ["batch", ...network.features]);
  const y = input("y", "int64", ["batch"]);
  const loss = new CrossEntropyLoss();
  const forward = (params: Value[]) => functionalCall(model, x, leaves.withParameters(params)).output;
  const objective = (params: Value[]) => loss.value(forward(params), y);
  const probes = leaves.parameters.map((p, i) => input(`v${i}`, p.dtype, p.shape));
  const outputs =
    product === "gradient" ? valueAndGrad(objective)(leaves.parameters)[1]
    : product === "hvp" ? hvp(objective, leaves.parameters, probes)
    : ggnVectorProduct(forward, (o) => loss.value(o, y), leaves.parameters, probes);
  const inputs = [x, y, ...leaves.values, ...(product === "gradient" ? [] : probes)];
  return makeProgram(`${network.name} ${product}`, inputs, outputs.map((value, i) => ({ name: `out${i}`, value })));
}

/** Random data, labels, the model's parameters and random probes, by input name. */
function feedsFor(model: Module, network: Network, product: Product, generator: Generator): Record<string, Tensor> {
  const labels = BigInt64Array.from({ length: network.batch }, () => BigInt(Math.floor(generator.uniform([1]).item() * network.classes)));
  const feeds: Record<string, Tensor> = {
    x: generator.normal([network.batch, ...network.features]),
    y: new Tensor("int64", [network.batch], labels),
    ...Object.fromEntries(model.namedParameters()),
  };
  if (product !== "gradient") model.parameters().forEach((p, i) => (feeds[`v${i}`] = generator.normal([...p.shape])));
  return feeds;
}

function benchCase(network: Network, { runtime, threads }: (typeof RUNTIMES)[number], product: Product): BenchCase {
  const slow = runtime === "js" && network.name === "cnn";
  return {
    name: `${network.name} ${product} ${runtime}`,
    n: network.batch,
    iterations: slow ? 3 : 10,
    extra: { model: network.name, product, runtime, dtype: "float32", threads: threads ?? 1, batch: network.batch, pytorch_ms: network.pytorchMs[product] },
    prepare: async () => {
      const generator = new Generator(0);
      const model = network.make(generator);
      const compiled = await compileProgram(productProgram(model, network, product), { runtime, ...(threads === undefined ? {} : { threads }) });
      const feeds = feedsFor(model, network, product, generator);
      return () => compiled.run(feeds);
    },
  };
}

/** Gradient, HVP and GGN-vector product of an MLP and a CNN under cross-entropy, on ORT CPU (2 threads) and js, float32. */
export const autodiffSuite: BenchSuite = {
  name: "autodiff",
  description: "gradient, HVP and GGN-vector product (float32, cross-entropy): MLP 784-256-256-10 batch 128 and CNN 3x32x32 batch 64, on ORT CPU (2 threads) and js",
  cases: () => NETWORKS.flatMap((network) => RUNTIMES.flatMap((runtime) => PRODUCTS.map((product) => benchCase(network, runtime, product)))),
  summarize: summarizeProducts,
};

/**
 * The JSON shape, `{"cases": {"mlp": {"gradient_ms", "hvp_ms",
 * "ggnvp_ms"}, "cnn": {...}}}`, from the ORT CPU runs (the ones compared with
 * PyTorch), with the ratios to the gradient; the js runs sit under `js`.
 */
export function summarizeProducts(results: readonly CaseResult[]): SuiteSummary {
  const cases: Record<string, Record<string, unknown>> = {};
  const lines: string[] = [];
  for (const network of NETWORKS) {
    const entry: Record<string, unknown> = {};
    for (const { runtime } of RUNTIMES) {
      const ms = (product: Product) =>
        results.find((r) => r.extra.model === network.name && r.extra.runtime === runtime && r.extra.product === product)?.medianMs;
      const [gradient, hvp, ggnvp] = PRODUCTS.map(ms);
      if (gradient === undefined) continue;
      const numbers = {
        gradient_ms: gradient,
        ...(hvp === undefined ? {} : { hvp_ms: hvp, hvp_ratio: hvp / gradient }),
        ...(ggnvp === undefined ? {} : { ggnvp_ms: ggnvp, ggnvp_ratio: ggnvp / gradient }),
      };
      if (runtime === "ort") Object.assign(entry, numbers, { pytorch_ms: network.pytorchMs });
      else entry[runtime] = numbers;
      const ratio = (v: number | undefined) => (v === undefined ? "-" : `${v.toFixed(2)} ms (${(v / gradient).toFixed(2)}x)`);
      lines.push(`  ${network.name} ${runtime}: gradient ${gradient.toFixed(2)} ms, hvp ${ratio(hvp)}, ggnvp ${ratio(ggnvp)}` +
        (runtime === "ort" ? `   [PyTorch 1.13: ${network.pytorchMs.gradient} / ${network.pytorchMs.hvp} / ${network.pytorchMs.ggnvp} ms]` : ""));
    }
    if (Object.keys(entry).length > 0) cases[network.name] = entry;
  }
  return { report: { cases }, lines };
}
