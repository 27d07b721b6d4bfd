/**
 * The options every curvature operator takes (curvlinops' common
 * constructor arguments, in TypeScript names), and their checks.
 */
import { DTypeError, ValueError, isFloat, type CompileOptions, type FloatDType, type Tensor } from "@curv/tensor";

/** Options shared by every curvature operator. */
export interface CurvatureOptions {
  /**
   * N, the number of examples in the data set (`num_data`). Without it, the
   * operator counts it with one pass over the data before its first product.
   */
  readonly numData?: number;
  /** The number of examples in a batch's `X` (`batch_size_fn`); default `X.shape[0]`. */
  readonly batchSizeFn?: (X: Tensor) => number;
  /** Show a progress bar over the batches of each product; default false. */
  readonly progressbar?: boolean;
  /**
   * Check before the first product that the model is one fixed function of
   * the data (`check_deterministic`, default true, as curvlinops): no layer
   * draws random numbers (Dropout in training mode), two passes give the same
   * loss and gradient, and two products with the same random vector agree.
   */
  readonly checkDeterministic?: boolean;
  /** The runtime to run on: `"js"`, `"ort"` (Node) or `"ort-web"` (browsers); default as `compile`'s. */
  readonly runtime?: CompileOptions["runtime"];
  /** Execution providers in order of preference (`compile`'s `providers`), e.g. `["cpu"]`. */
  readonly providers?: CompileOptions["providers"];
  /** Threads per operator (`compile`'s `threads`). */
  readonly threads?: number;
  /**
   * The dtype to compute in; default the model's parameters' dtype. The
   * model's parameters must have it (convert with `model.to(dtype)`); float
   * data are converted to it.
   */
  readonly dtype?: FloatDType;
  /**
   * Seed of the random draws the model itself asks for when it is not
   * deterministic and `checkDeterministic` is off (Dropout masks); default 2147483647.
   */
  readonly seed?: number;
}

/** curvlinops' default seed (`2147483647`), used by every operator that draws. */
export const DEFAULT_SEED = 2147483647;

/** The compile options of a runtime choice. */
export function compileOptionsOf({ runtime, providers, threads }: CurvatureOptions): CompileOptions {
  const options: { runtime?: CompileOptions["runtime"]; providers?: CompileOptions["providers"]; threads?: number } = {};
  if (runtime !== undefined) options.runtime = runtime;
  if (providers !== undefined) options.providers = providers;
  if (threads !== undefined) options.threads = threads;
  return options;
}

/** Checks the options that can be checked without the data; `who` names the operator in messages. */
export function checkCurvatureOptions(options: CurvatureOptions, who: string): void {
  if (options === null || typeof options !== "object") throw new ValueError(`${who}: options must be an object, got ${String(options)}`);
  const { numData, dtype, seed } = options;
  if (numData !== undefined && (!Number.isInteger(numData) || numData < 1)) {
    throw new ValueError(`${who}: numData must be a positive integer, got ${numData}`);
  }
  if (dtype !== undefined && !isFloat(dtype)) throw new DTypeError(`${who}: dtype must be "float32" or "float64", got ${JSON.stringify(dtype)}`);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new ValueError(`${who}: seed must be a safe integer, got ${seed}`);
}

/** Checks an MC sample count (`mcSamples`): 0 (exact) or a positive integer. */
export function checkMcSamples(mcSamples: number, who: string): number {
  if (!Number.isInteger(mcSamples) || mcSamples < 0) {
    throw new ValueError(`${who}: mcSamples must be 0 (exact) or a positive integer, got ${mcSamples}`);
  }
  return mcSamples;
}
