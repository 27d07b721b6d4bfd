/**
 * The memory a `curv` request needs, estimated from its sizes before any
 * work starts, and checked against `--max-memory`: a request that cannot
 * fit stops at once with what it needs and the change that fits (`matvec`
 * instead of the P x P matrix, a smaller `--batch-size`, fewer
 * `--mc-samples`), instead of computing for minutes and failing inside
 * ONNX Runtime or with V8's "Invalid typed array length".
 */
import { formatBytes, ResourceLimitError } from "@curv/tensor";
import type { CurvatureCommand } from "./command-line.js";


/** The sizes an estimate reads. */
export interface RequestSizes {
  /** P: the parameters differentiated. */
  readonly parameters: number;
  /** N: the examples. */
  readonly examples: number;
  /** The model's outputs per example (the product of the output's trailing extents). */
  readonly outputsPerExample: number;
  /** Columns per product: `toDense`'s chunk for `matrix`, K for `matvec`. */
  readonly columns: number;
}

/** One part of an estimate, for the message. */
interface Need {
  readonly what: string;
  readonly bytes: number;
}

/** The most entries one typed array holds in V8 (2^32 - 1 elements on 64-bit Node 20). */
const MAX_ARRAY_ENTRIES = 2 ** 32 - 1;
/**
 * Copies of a batch's per-output tensors a program keeps alive at once: the
 * forward output, the loss-Hessian square root or sampled gradients, their
 * backpropagated cotangents and ORT's workspace. Measured on the fixture
 * MLP, 4 is an upper bound; an estimate, not an accounting.
 */
const LIVE_COPIES = 4;

/** What the request needs, largest part first. */
export function estimateNeeds(command: CurvatureCommand, sizes: RequestSizes): Need[] {
  const item = command.dtype === "float64" ? 8 : 4;
  const batch = Math.min(command.batchSize ?? sizes.examples, sizes.examples);
  const needs: Need[] = [];
  if (command.command === "matrix") {
    needs.push({ what: `the ${sizes.parameters} x ${sizes.parameters} matrix (${command.dtype})`, bytes: sizes.parameters ** 2 * item });
  } else {
    needs.push({ what: `the product [${sizes.parameters}, ${sizes.columns}]`, bytes: sizes.parameters * sizes.columns * item * 2 });
  }
  if (command.kind === "fisher-mc") {
    // Each of the M samples per example is backpropagated against every column: [M, batch, columns] products
    // beside the [M, batch, outputs] sampled gradients (ORT asked for 84 GB at M = 10^7, batch 8, 256 columns).
    needs.push({
      what: `a batch's ${command.mcSamples} Monte-Carlo samples x ${batch} examples x (${sizes.outputsPerExample} outputs + ${sizes.columns} columns)`,
      bytes: command.mcSamples * batch * (sizes.outputsPerExample + sizes.columns) * item * 2,
    });
  } else {
    needs.push({ what: `a batch's ${batch} examples x ${sizes.outputsPerExample} outputs x ${sizes.columns} columns`, bytes: batch * sizes.outputsPerExample * sizes.columns * item * LIVE_COPIES });
  }
  return needs.sort((a, b) => b.bytes - a.bytes);
}

/**
 * Throws a {@link ResourceLimitError} when the request cannot fit
 * `--max-memory`, naming what is too large and the change that fits.
 *
 * @example
 * ```ts
 * checkMemoryBudget(command, { parameters: 65792, examples: 8, outputsPerExample: 3, columns: 256 });
 * // ResourceLimitError: the 65792 x 65792 matrix (float32) needs 16.1 GiB ...; use curv matvec ...
 * ```
 */
export function checkMemoryBudget(command: CurvatureCommand, sizes: RequestSizes): void {
  const needs = estimateNeeds(command, sizes);
  const total = needs.reduce((sum, need) => sum + need.bytes, 0);
  if (command.command === "matrix") {
    const entries = sizes.parameters ** 2;
    const bytes = entries * (command.dtype === "float64" ? 8 : 4);
    if (entries > MAX_ARRAY_ENTRIES || bytes > command.maxMemoryBytes) {
      const why = entries > MAX_ARRAY_ENTRIES ? `has ${entries} entries, more than one array holds (${MAX_ARRAY_ENTRIES})` : `needs ${formatBytes(bytes)}, over --max-memory ${formatBytes(command.maxMemoryBytes)}`;
      throw new ResourceLimitError(`the P x P matrix is too large: ${needs.find((need) => need.what.includes(" matrix "))?.what} ${why}; use curv matvec --vector V.npy for products with vectors (or --params for a block)`);
    }
  }
  if (total <= command.maxMemoryBytes) return;
  const largest = needs[0];
  throw new ResourceLimitError(`${largest.what} need about ${formatBytes(largest.bytes)} (${formatBytes(total)} in all), over --max-memory ${formatBytes(command.maxMemoryBytes)}; ${suggestion(command, sizes)}`);
}

/** The change that fits the budget: fewer Monte-Carlo samples, a smaller batch, or (last) a larger budget. */
function suggestion(command: CurvatureCommand, sizes: RequestSizes): string {
  const fits = (changed: Partial<CurvatureCommand>) => estimateNeeds({ ...command, ...changed }, sizes).reduce((s, n) => s + n.bytes, 0) <= command.maxMemoryBytes;
  const batch = Math.min(command.batchSize ?? sizes.examples, sizes.examples);
  for (let size = batch >> 1; size >= 1; size >>= 1) {
    if (fits({ batchSize: size })) return `try --batch-size ${size}`;
  }
  if (command.kind === "fisher-mc") {
    for (let samples = command.mcSamples >> 1; samples >= 1; samples >>= 1) {
      if (fits({ mcSamples: samples, batchSize: 1 })) return `try --batch-size 1 --mc-samples ${samples}`;
    }
  }
  if (command.command === "matvec" && sizes.columns > 1) return "try fewer vector columns per run";
  return "raise --max-memory if the machine has the memory";
}
