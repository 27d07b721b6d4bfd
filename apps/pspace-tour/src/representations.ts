/** Every representation of one model's FIM, built and timed, and the table that compares them. */
import type { Module } from "@curv/autodiff";
import type { CurvatureOptions, DataSource } from "@curv/operators";
import {
  FIM, PMatBlockDiag, PMatDense, PMatDiag, PMatEKFAC, PMatImplicit, PMatKFAC, PMatLowRank, PMatQuasiDiag, type PMatAbstract, type PMatRepresentation,
} from "@curv/pspace";
import type { Tensor } from "@curv/tensor";

/** One representation's dense matrix and its row in the table. */
export interface RepresentationRow {
  readonly name: string;
  readonly matrix: Tensor;
  readonly trace: number;
  /** `‖M − F‖_F / ‖F‖_F` against the dense FIM. */
  readonly relativeError: number;
  /** `byteLength`: what the representation stores (PMatImplicit: nothing). */
  readonly bytes: number;
  /** Build time, ms: `FIM(...)` (EKFAC: with `updateDiag`), not `toDense()`. */
  readonly buildMs: number;
}

type Built = { matrix: Tensor; trace: number; bytes: number; buildMs: number };

/** Times `build`. */
async function timed<T>(build: () => Promise<T>): Promise<{ value: T; buildMs: number }> {
  const start = performance.now();
  const value = await build();
  return { value, buildMs: performance.now() - start };
}

/** The representations in the order drawn, each building its dense matrix, trace and memory. */
const BUILDERS: readonly { name: string; build: (model: Module, loader: DataSource, options: CurvatureOptions) => Promise<Built> }[] = [
  ...([["PMatDense", PMatDense], ["PMatBlockDiag", PMatBlockDiag], ["PMatKFAC", PMatKFAC], ["PMatQuasiDiag", PMatQuasiDiag], ["PMatDiag", PMatDiag], ["PMatLowRank", PMatLowRank]] as [string, PMatRepresentation<PMatAbstract>][]).map(
    ([name, representation]) => ({
      name,
      build: async (model: Module, loader: DataSource, options: CurvatureOptions): Promise<Built> => {
        const { value: F, buildMs } = await timed(() => FIM({ model, loader, representation, ...options }));
        return { matrix: F.toDense(), trace: F.trace(), bytes: F.byteLength, buildMs };
      },
    }),
  ),
  {
    name: "PMatEKFAC",
    build: async (model, loader, options) => {
      const { value: F, buildMs } = await timed(async () => {
        const ekfac = await FIM({ model, loader, representation: PMatEKFAC, ...options });
        await ekfac.updateDiag();
        return ekfac;
      });
      return { matrix: F.toDense(), trace: F.trace(), bytes: F.byteLength, buildMs };
    },
  },
  {
    name: "PMatImplicit",
    build: async (model, loader, options) => {
      const { value: F, buildMs } = await timed(() => FIM({ model, loader, representation: PMatImplicit, ...options }));
      return { matrix: await F.toDense(), trace: await F.trace(), bytes: F.byteLength, buildMs };
    },
  },
];

function relativeError(a: Tensor, b: Tensor): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < b.size; i++) {
    difference += ((a.data[i] as number) - (b.data[i] as number)) ** 2;
    norm += (b.data[i] as number) ** 2;
  }
  return Math.sqrt(difference / norm);
}

/** Builds every representation of the FIM (classif_logits), timing each build. */
export async function buildRepresentations(model: Module, loader: DataSource, options: CurvatureOptions): Promise<RepresentationRow[]> {
  const built: (Built & { name: string })[] = [];
  for (const { name, build } of BUILDERS) built.push({ name, ...(await build(model, loader, options)) });
  const dense = built[0].matrix;
  return built.map(({ name, matrix, trace, bytes, buildMs }) => ({ name, matrix, trace, bytes, buildMs, relativeError: relativeError(matrix, dense) }));
}

function formatBytes(bytes: number): string {
  if (bytes === 0) return "0 (implicit)";
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(2)} MiB`;
}

/** The comparison as a Markdown table. */
export function representationTable(rows: readonly RepresentationRow[]): string {
  const lines = [
    "| representation | trace | relative Frobenius error vs dense | memory (byteLength) | build time |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.name} | ${r.trace.toPrecision(6)} | ${r.relativeError.toExponential(2)} | ${formatBytes(r.bytes)} | ${r.buildMs.toFixed(0)} ms |`),
  ];
  return lines.join("\n") + "\n";
}
