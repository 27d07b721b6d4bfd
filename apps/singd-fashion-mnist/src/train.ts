/**
 * The training runs: every optimizer starts from the same initial weights
 * and sees the same batches in the same order; the loss of each step and the
 * test accuracy at a few points per epoch are recorded, and the time of the
 * steps (forward, backward, pre-conditioner and parameter update; not the
 * evaluations) per epoch.
 */
import { compileModel, CrossEntropyLoss, type CurvatureLoss, type Module } from "@curv/autodiff";
import { createProgressBar } from "@curv/operators";
import type { Batch } from "@curv/singd";
import { batchIndices, batchOf } from "./batches.js";
import { fashionCnn } from "./cnn.js";
import type { FashionMnistSplit } from "./fashion-mnist.js";

/** What the training loop needs of an optimizer (SINGD, AdamW and SGD all have it). */
export interface Trainer {
  step(batch: Batch): Promise<number>;
  dispose(): Promise<void>;
}

/** Where programs run (the optimizers' and `compileModel`'s options). */
export interface RuntimeOptions {
  readonly runtime?: "js" | "ort";
  readonly providers?: readonly ("cpu" | "cuda" | "webgpu")[];
}

/** A named optimizer configuration. */
export interface OptimizerEntry {
  readonly name: string;
  /** The optimizer on `model` (freshly initialized). */
  create(model: Module, loss: CurvatureLoss, runtime: RuntimeOptions): Trainer;
  /** The bytes its pre-conditioner stores (K, C, m_K, m_C over all layers); absent for first-order methods. */
  preconditionerBytes?(trainer: Trainer): number;
}

/** The settings every run shares. */
export interface TrainingSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Test-accuracy evaluations per epoch (plus one before training). */
  readonly evalsPerEpoch: number;
  /** The training order of each epoch (indices into the training split). */
  readonly orders: readonly Int32Array[];
  readonly runtime: RuntimeOptions;
  /** Show a progress bar per epoch (on a terminal only). */
  readonly progress: boolean;
  readonly log: (line: string) => void;
}

/** One optimizer's run. */
export interface RunResult {
  readonly name: string;
  /** The batch loss of every step, before its update. */
  readonly losses: number[];
  /** Test accuracy (in [0, 1]) after `step` steps (fractional `epoch`). */
  readonly evaluations: { step: number; epoch: number; accuracy: number }[];
  /** Seconds of optimizer steps per epoch. */
  readonly epochSeconds: number[];
  /** Bytes stored by the pre-conditioner, when it has one. */
  readonly preconditionerBytes?: number;
  /** Why the run stopped early (a non-finite loss or gradient), if it did. */
  readonly stopped?: string;
}

const EVAL_BATCH = 1000;

/** Trains the CNN with `entry` on `train`, evaluating on `test`. */
export async function trainOne(entry: OptimizerEntry, train: FashionMnistSplit, test: FashionMnistSplit, settings: TrainingSettings): Promise<RunResult> {
  const { epochs, batchSize, seed, evalsPerEpoch, orders, runtime, progress, log } = settings;
  const model = fashionCnn(seed);
  const optimizer = entry.create(model, new CrossEntropyLoss(), runtime);
  const evaluator = await compileModel(model, { dtype: "float32", shape: ["batch", 1, 28, 28] }, runtime);
  const testBatches = [...batchIndices(Int32Array.from({ length: test.count }, (_, i) => i), EVAL_BATCH)].map((indices) => batchOf(test, indices));
  const accuracy = async (): Promise<number> => {
    let correct = 0;
    for (const [X, y] of testBatches) {
      const logits = (await evaluator.run(X)).data as Float32Array;
      for (let n = 0; n < y.shape[0]; n++) correct += Number(argmax(logits, n * 10, 10) === Number(y.data[n]));
    }
    return correct / test.count;
  };
  const stepsPerEpoch = Math.ceil(orders[0].length / batchSize);
  const evalSteps = new Set(Array.from({ length: evalsPerEpoch }, (_, k) => Math.round(((k + 1) * stepsPerEpoch) / evalsPerEpoch)));
  const result: RunResult = { name: entry.name, losses: [], evaluations: [{ step: 0, epoch: 0, accuracy: await accuracy() }], epochSeconds: [] };
  let stopped: string | undefined;
  try {
    for (let epoch = 0; epoch < epochs && stopped === undefined; epoch++) {
      const bar = createProgressBar({ total: stepsPerEpoch, label: `${entry.name.padEnd(22)} epoch ${epoch + 1}/${epochs}`, enabled: progress });
      let seconds = 0;
      let inEpoch = 0;
      for (const indices of batchIndices(orders[epoch], batchSize)) {
        const batch = batchOf(train, indices);
        const start = performance.now();
        let loss: number;
        try {
          loss = await optimizer.step(batch);
        } catch (error) {
          stopped = `step ${result.losses.length}: ${error instanceof Error ? error.message : String(error)}`;
          break;
        }
        seconds += (performance.now() - start) / 1000;
        result.losses.push(loss);
        inEpoch++;
        bar.advance();
        if (!Number.isFinite(loss)) {
          stopped = `step ${result.losses.length - 1}: the loss is ${loss}`;
          break;
        }
        if (evalSteps.has(inEpoch)) result.evaluations.push({ step: result.losses.length, epoch: epoch + inEpoch / stepsPerEpoch, accuracy: await accuracy() });
      }
      bar.finish();
      result.epochSeconds.push(seconds);
      const last = result.evaluations[result.evaluations.length - 1];
      log(`${entry.name}: epoch ${epoch + 1}: ${seconds.toFixed(1)} s of steps, mean loss ${mean(result.losses.slice(-inEpoch)).toFixed(4)}, test accuracy ${(100 * last.accuracy).toFixed(2)}%`);
    }
  } finally {
    await evaluator.dispose();
  }
  const preconditionerBytes = entry.preconditionerBytes?.(optimizer);
  await optimizer.dispose();
  if (stopped !== undefined) log(`${entry.name}: stopped at ${stopped}`);
  return { ...result, ...(preconditionerBytes === undefined ? {} : { preconditionerBytes }), ...(stopped === undefined ? {} : { stopped }) };
}

function argmax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
