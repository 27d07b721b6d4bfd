/**
 * What SGD and AdamW share: one compiled loss-and-gradient program per
 * optimizer, a step counter, per-parameter state, and the rule that a step
 * either updates every parameter or none (a refused batch or a non-finite
 * gradient leaves the model and the state as they were).
 */
import { Tensor, ValueError, type CompileOptions, type FloatDType, type Generator } from "@curv/tensor";
import type { CurvatureLoss, Module } from "@curv/autodiff";
import { allFinite } from "../parameter-update.js";
import { LossAndGradientProgram, type Batch } from "./loss-and-gradient.js";

/** Options every baseline takes besides its hyper-parameters: where its program runs (as {@link SINGD}'s), and randomness. */
export interface FirstOrderRunOptions {
  /** The runtime of the loss-and-gradient program: `"js"`, `"ort"` (Node), `"ort-web"`; default: the platform's ORT. */
  readonly runtime?: CompileOptions["runtime"];
  readonly providers?: CompileOptions["providers"];
  readonly threads?: number;
  /** Draws the random inputs of models that have them (Dropout in training mode). */
  readonly generator?: Generator;
}

/** The parameters' float storage, read and written in place on copies the optimizer owns. */
export type FloatArray = Float32Array | Float64Array;

/** A first-order optimizer over every parameter of an nn model; subclasses give the per-parameter update. */
export abstract class FirstOrderOptimizer {
  readonly model: Module;
  readonly lossFunction: CurvatureLoss;
  /** Steps taken so far (refused steps do not count). */
  steps = 0;
  readonly #program: LossAndGradientProgram;
  readonly #generator: Generator | undefined;

  protected constructor(model: Module, lossFunction: CurvatureLoss, options: FirstOrderRunOptions, who: string) {
    if (model.parameters().length === 0) throw new ValueError(`${who}: the model has no parameters to train`);
    const dtypes = new Set(model.parameters().map((p) => p.dtype));
    if (dtypes.size !== 1) throw new ValueError(`${who}: the model's parameters mix dtypes (${[...dtypes].join(", ")}); convert the model with model.to(dtype)`);
    this.model = model;
    this.lossFunction = lossFunction;
    const { runtime, providers, threads } = options;
    const compile = { ...(runtime === undefined ? {} : { runtime }), ...(providers === undefined ? {} : { providers }), ...(threads === undefined ? {} : { threads }) };
    this.#program = new LossAndGradientProgram(model, lossFunction, compile, who);
    this.#generator = options.generator;
  }

  /** The parameters' dtype (the dtype of X in each batch). */
  get dtype(): FloatDType {
    return this.model.parameters()[0].dtype as FloatDType;
  }

  /**
   * One step on a batch: forward, loss, backward (one compiled run), then the
   * update of every parameter. Returns the batch's loss at the parameters
   * before the update; `model.namedParameters()` then holds the new values.
   */
  async step(batch: Batch): Promise<number> {
    const { loss, gradients } = await this.#program.run(batch, this.#generator);
    const named = this.model.namedParameters();
    gradients.forEach((g, i) => {
      const bad = firstNonFinite(g.data as FloatArray);
      if (bad >= 0) throw new ValueError(`${this.constructor.name}.step: the gradient of "${named[i][0]}" has ${g.data[bad]} at flat index ${bad}; the parameters are unchanged`);
    });
    const updated = named.map(([name, p], i) => {
      const values = p.data.slice() as FloatArray;
      this.update(name, values, gradients[i].data as FloatArray);
      return [name, new Tensor(p.dtype, p.shape, values)] as const;
    });
    this.steps++;
    this.model.loadStateDict(Object.fromEntries(updated), { strict: false });
    return loss;
  }

  /**
   * Updates one parameter in place (`values` is a copy the optimizer owns)
   * from its gradient, at step {@link FirstOrderOptimizer.steps} (0-based).
   */
  protected abstract update(name: string, values: FloatArray, gradient: FloatArray): void;

  /** Releases the compiled program. */
  dispose(): Promise<void> {
    return this.#program.dispose();
  }
}

/**
 * The index of the first entry that is not finite, or -1: {@link allFinite}'s
 * monomorphic scan first (`findIndex` with a callback took ~0.2 ms per step
 * on the CNN's 22,238 gradient entries, a tenth of the whole step).
 */
function firstNonFinite(data: FloatArray): number {
  if (allFinite(data)) return -1;
  return data.findIndex((v) => !Number.isFinite(v));
}

/** Throws a ValueError unless `value` is a finite number >= `min` (PyTorch's "Invalid ..." checks). */
export function checkHyperparameter(who: string, name: string, value: number, { min = 0, below }: { min?: number; below?: number } = {}): number {
  const fine = typeof value === "number" && Number.isFinite(value) && value >= min && (below === undefined || value < below);
  if (!fine) throw new ValueError(`${who}: ${name} must be a finite number ${below === undefined ? `>= ${min}` : `in [${min}, ${below})`}, got ${String(value)}`);
  return value;
}
