import { CrossEntropyLoss } from "@curv/autodiff";
import { KFACLinearOperator } from "@curv/operators";
import {
  FIM, LayerCollection, PMatDiag, PMatEKFAC, PMatImplicit, PMatKFAC, PMatLowRank, PMatQuasiDiag, PVector, type PMatRepresentation,
} from "@curv/pspace";
import { Generator, type Tensor } from "@curv/tensor";
import type { CaseResult } from "../measure-case.js";
import type { BenchCase, BenchSuite, SuiteSummary } from "../suite.js";
import { NETWORKS, type Network } from "./autodiff.js";

// @curv/pspace's representations of the Fisher (FIM, classif_logits) of the
// autodiff suite's MLP (269k parameters) and CNN (87k), one batch of the
// autodiff suite's size cut into batches of 16 (the per-example
// representations hold a batch's per-example gradients, 16·O·P), float32 on
// ORT CPU (2 threads), determinism checks off: the build (FIM(...), which
// traces, lowers and runs the data pass, and for EKFAC eigendecomposes the
// factors), its memory (byteLength, in the summary), and one mv. KFAC's build
// is set against KFACLinearOperator's factors with the same options
// (type-2, expand, joint bias). Dense and block-diagonal matrices of these
// nets are over the 4 GiB limit (P² float64), and EKFAC of the CNN needs the
// eigendecomposition of its 8193 x 8193 input factor: those are not run.

const OPTIONS = { runtime: "ort", providers: ["cpu"], threads: 2, checkDeterministic: false } as const;

type Kind = "diag" | "kfac" | "ekfac" | "quasidiag" | "lowrank" | "implicit";

const REPRESENTATIONS: Record<Kind, PMatRepresentation<{ byteLength: number }>> = {
  diag: PMatDiag, kfac: PMatKFAC, ekfac: PMatEKFAC, quasidiag: PMatQuasiDiag, lowrank: PMatLowRank, implicit: PMatImplicit,
};

/** What each network gets: LowRank stores O·n·P (2.5 GB for the MLP) and EKFAC of the CNN an 8193² eigendecomposition. */
const KINDS: Record<Network["name"], readonly Kind[]> = {
  mlp: ["diag", "kfac", "ekfac", "quasidiag", "implicit"],
  cnn: ["diag", "kfac", "quasidiag", "lowrank", "implicit"],
};

/** byteLength of each built representation, by `kind network` (filled by the build cases). */
const memory = new Map<string, number>();
/** The representation the build case made, handed to the mv case (which runs next) and then dropped. */
const built = new Map<string, { mv(v: PVector): unknown }>();

const BATCH = 16;

function setup(network: Network) {
  const generator = new Generator(0);
  const model = network.make(generator);
  const data: [Tensor, Tensor][] = [];
  for (let start = 0; start < network.batch; start += BATCH) {
    data.push([generator.normal([BATCH, ...network.features]), generator.integers(0, network.classes, [BATCH], "int64")]);
  }
  return { model, data, generator };
}

function buildCase(network: Network, kind: Kind): BenchCase {
  const name = `${kind} build ${network.name}`;
  return {
    name,
    n: network.batch,
    iterations: 1,
    extra: { representation: kind, measure: "build", model: network.name, dtype: "float32", threads: 2, batch: network.batch },
    prepare: () => {
      const { model, data } = setup(network);
      return async () => {
        const pmat = await FIM({ model, loader: data, representation: REPRESENTATIONS[kind], numData: network.batch, ...OPTIONS });
        memory.set(`${kind} ${network.name}`, pmat.byteLength);
        built.set(`${kind} ${network.name}`, pmat as unknown as { mv(v: PVector): unknown });
      };
    },
  };
}

function mvCase(network: Network, kind: Kind): BenchCase {
  return {
    name: `${kind} mv ${network.name}`,
    n: network.batch,
    iterations: kind === "implicit" ? 3 : 5,
    extra: { representation: kind, measure: "mv", model: network.name, dtype: "float32", threads: 2 },
    prepare: async () => {
      const { model, data, generator } = setup(network);
      const key = `${kind} ${network.name}`;
      const pmat = built.get(key) ?? ((await FIM({ model, loader: data, representation: REPRESENTATIONS[kind], numData: network.batch, ...OPTIONS })) as unknown as { mv(v: PVector): unknown });
      built.delete(key);
      const v = PVector.random(LayerCollection.fromModel(model), generator, "float32");
      return () => pmat.mv(v);
    },
  };
}

/** KFACLinearOperator's factors with PMatKFAC's options: the baseline of the KFAC build. */
function operatorCase(network: Network): BenchCase {
  return {
    name: `KFACLinearOperator build ${network.name}`,
    n: network.batch,
    iterations: 1,
    extra: { representation: "KFACLinearOperator", measure: "build", model: network.name, dtype: "float32", threads: 2 },
    prepare: () => {
      const { model, data } = setup(network);
      const params = model.namedParameters().map(([name]) => name);
      return () => new KFACLinearOperator(model, new CrossEntropyLoss({ hessianSqrt: "cholesky" }), params, data, {
        ...OPTIONS, numData: network.batch, fisherType: "type-2", kfacApprox: "expand", separateWeightAndBias: false,
      }).factors();
    },
  };
}

function pspaceCases(): BenchCase[] {
  return NETWORKS.flatMap((network) => [
    operatorCase(network),
    ...KINDS[network.name].flatMap((kind) => [buildCase(network, kind), mvCase(network, kind)]),
  ]);
}

function summarizePspace(results: readonly CaseResult[]): SuiteSummary {
  const report: Record<string, Record<string, Record<string, number>>> = {};
  const lines: string[] = ["pspace: representation memory (byteLength) and build time vs KFACLinearOperator's"];
  for (const result of results) {
    const { representation, measure, model } = (result.extra ?? {}) as { representation?: string; measure?: string; model?: string };
    if (representation === undefined || model === undefined || measure === undefined) continue;
    const entry = ((report[model] ??= {})[representation] ??= {});
    entry[`${measure}_ms`] = result.medianMs;
    const bytes = memory.get(`${representation} ${model}`);
    if (bytes !== undefined) entry.bytes = bytes;
  }
  for (const [model, entries] of Object.entries(report)) {
    const baseline = entries.KFACLinearOperator?.build_ms;
    for (const [representation, entry] of Object.entries(entries)) {
      const ratio = baseline !== undefined && entry.build_ms !== undefined ? ` (${(entry.build_ms / baseline).toFixed(2)}x KFACLinearOperator)` : "";
      const bytes = entry.bytes === undefined ? "" : `, ${(entry.bytes / 2 ** 20).toFixed(2)} MiB`;
      lines.push(`  ${model} ${representation}: build ${entry.build_ms?.toFixed(0) ?? "-"} ms${ratio}${bytes}, mv ${entry.mv_ms?.toFixed(2) ?? "-"} ms`);
    }
  }
  return { report: { pspace: report }, lines };
}

/** Build time, memory and mv time of @curv/pspace's representations of the autodiff MLP's and CNN's Fisher (float32, ORT CPU). */
export const pspaceSuite: BenchSuite = {
  name: "pspace",
  description: "@curv/pspace FIM representations (diag, KFAC, EKFAC, quasi-diag, low-rank, implicit) of the autodiff MLP and CNN: build time, byteLength, mv; KFAC vs KFACLinearOperator (float32, ORT CPU 2 threads)",
  cases: pspaceCases,
  summarize: summarizePspace,
};
