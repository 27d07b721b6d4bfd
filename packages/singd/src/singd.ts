/**
 * SINGD, structured inverse-free natural gradient descent (Lin, Dangel,
 * Eschenhagen, Neklyudov, Kristiadi, Turner, Makhzani, ICML 2024): the
 * optimizer of f-dangel/singd (`singd.optim.optimizer.SINGD`) on curv's
 * layer taps and structured matrices.
 */
import {
  compileProgram, assertFinite, type CompiledFunction, type CurvatureLoss, type InputSpec, type Module, type StateDict,
} from "@curv/autodiff";
import {
  Generator, ShapeError, Tensor, ValueError, formatShape, isFloat, tensor, type CompileOptions, type FloatDType,
} from "@curv/tensor";
import { denseNames } from "./dense-preconditioner-graph.js";
import { LayerPreconditioner, type CurvatureTerms } from "./layer-preconditioner.js";
import { findSINGDLayers, type SINGDLayer } from "./singd-layers.js";
import { lrCovAt, type SINGDOptions } from "./singd-options.js";
import { allFinite, jointGradient, parameterUpdate, splitJoint } from "./parameter-update.js";
import { installTracedUpdate, rowCounts, tracedFeeds } from "./traced-feeds.js";
import { loadSINGDState, singdStateDict } from "./singd-state-dict.js";
import { BATCH, buildStepProgram, leafFeeds, stepNames, type StepProgram, type TermKind } from "./step-program.js";

/** A batch: inputs `X` `[N, ...]` and targets `y`. */
export type SINGDBatch = readonly [Tensor, Tensor];

/** Options of one {@link SINGD.step}. */
export interface SINGDStepOptions {
  /**
   * The scale s_t the loss is multiplied by before the backward pass (a
   * GradScaler's scale; SINGD reads it from `grad_scale`). The gradients are
   * un-scaled by s_t and the curvature terms by s_{t−1} and s_t² as SINGD
   * does. When it is given and the scaled gradients are not finite, the step
   * is skipped (SINGD's `found_inf`): nothing changes but the step counter.
   */
  readonly gradScale?: number;
}

interface CompiledStep {
  readonly step: StepProgram;
  readonly run: CompiledFunction;
}

/**
 * SINGD (f-dangel/singd's `SINGD`): per Linear or Conv2d layer, structured
 * factors K and C with `K Kᵀ ⊗ C Cᵀ` approximating the inverse of the
 * layer's Kronecker-factored empirical Fisher, updated without inverses
 * every `T` steps, and the parameter update `−lr · momentum(C Cᵀ G̃ K Kᵀ + γ θ)`.
 *
 * Each step is one run of one compiled program (forward, loss, and a
 * backward with layer taps); the pre-conditioner and parameter updates run
 * on the host on `@curv/structures`' matrices.
 *
 * @example
 * ```ts
 * import { CrossEntropyLoss, Linear, ReLU, Sequential } from "@curv/autodiff";
 * import { SINGD } from "@curv/singd";
 *
 * const model = new Sequential(new Linear(784, 64), new ReLU(), new Linear(64, 10));
 * const singd = new SINGD(model, new CrossEntropyLoss(), {
 *   lr: 5e-3, structures: ["diagonal", "dense"], T: 10, runtime: "ort",
 * });
 * for (const [X, y] of batches) {
 *   const loss = await singd.step([X, y]); // model.namedParameters() now hold the new values
 * }
 * const checkpoint = singd.stateDict();    // K, C, m_K, m_C, momentum buffers, step counter
 * ```
 */
export class SINGD {
  readonly model: Module;
  readonly lossFunction: CurvatureLoss;
  /** The trained layers, in `namedModules()` order. */
  readonly layers: readonly SINGDLayer[];
  /** Parameters SINGD does not train (outside Linear and Conv2d layers, or left out of `params`). */
  readonly untrainedParameters: readonly string[];
  /** One pre-conditioner per trained layer, by layer name. */
  readonly preconditioners: ReadonlyMap<string, LayerPreconditioner>;
  /** Momentum buffers by parameter name (allocated on first use, as SINGD). */
  readonly momentumBuffers = new Map<string, Tensor<FloatDType>>();
  #steps = 0;
  /** s_t by step; entries older than t − 1 are dropped (SINGD's `_grad_scales`). */
  readonly #gradScales = new Map<number, number>();
  #lastStepSkipped = false;
  readonly #warn: (message: string) => void;
  readonly #compileOptions: CompileOptions;
  readonly #programs = new Map<string, Promise<CompiledStep>>();
  readonly #generator = new Generator(0);
  readonly #dtype: FloatDType;
  readonly #singdBlockDiagonalQuirk: boolean;

  constructor(model: Module, lossFunction: CurvatureLoss, options: SINGDOptions = {}) {
    if (options === null || typeof options !== "object") throw new ValueError(`SINGD: options must be an object, got ${String(options)}`);
    if (lossFunction === null || typeof lossFunction !== "object" || typeof lossFunction.value !== "function") {
      throw new ValueError(`SINGD: lossFunction must be a curv loss (CrossEntropyLoss, MSELoss, ...), got ${String(lossFunction)}`);
    }
    this.model = model;
    this.lossFunction = lossFunction;
    this.#warn = options.onWarning ?? ((message) => console.warn(message));
    const initGradScale = options.initGradScale ?? 1;
    if (typeof initGradScale !== "number" || !Number.isFinite(initGradScale) || initGradScale <= 0) {
      throw new ValueError(`SINGD: initGradScale must be a finite number > 0, got ${String(initGradScale)}`);
    }
    const { layers, untrained } = findSINGDLayers(model, options, this.#warn);
    this.layers = layers;
    this.untrainedParameters = untrained;
    this.#singdBlockDiagonalQuirk = options.singdBlockDiagonalQuirk === true;
    this.preconditioners = new Map(layers.map((layer) => [layer.name, new LayerPreconditioner(layer, options.singdBlockDiagonalQuirk === true)]));
    this.#gradScales.set(-1, initGradScale);
    const reduction = lossFunction.reduction;
    const mismatched = layers.filter((l) => (l.options.lossAverage === null) !== (reduction === "sum")).map((l) => `"${l.name}"`);
    if (mismatched.length > 0) {
      this.#warn(`SINGD: lossAverage does not match the loss' reduction "${reduction}" for layers ${mismatched.join(", ")} (null goes with "sum", "batch" or "batch+sequence" with "mean"); their curvature is scaled for the other reduction`);
    }
    this.#dtype = model.namedParameters().find(([name]) => name === layers[0].weight)?.[1].dtype as FloatDType;
    const { runtime, providers, threads } = options;
    this.#compileOptions = {
      ...(runtime === undefined ? {} : { runtime }), ...(providers === undefined ? {} : { providers }), ...(threads === undefined ? {} : { threads }),
    };
  }

  /** The number of steps taken (SINGD's `steps`). */
  get steps(): number {
    return this.#steps;
  }

  /** Whether the last step was skipped because its scaled gradients were not finite. */
  get lastStepSkipped(): boolean {
    return this.#lastStepSkipped;
  }

  /**
   * One optimization step on `batch`: forward, backward, the pre-conditioner
   * update of every layer with `steps % T == 0`, and the parameter update.
   * Returns the loss before the step. Bad input (a non-finite batch, a batch
   * the model does not accept, non-finite gradients without a gradient
   * scale) throws and changes nothing.
   */
  async step(batch: SINGDBatch, options: SINGDStepOptions = {}): Promise<number> {
    if (this.#stepping) throw new ValueError("SINGD.step: a step is already running; await each step before the next (steps read and write the same state)");
    this.#stepping = true;
    try {
      return await this.#step(batch, options);
    } finally {
      this.#stepping = false;
    }
  }

  #stepping = false;

  async #step(batch: SINGDBatch, options: SINGDStepOptions): Promise<number> {
    const [X, y] = this.#checkBatch(batch);
    const gradScale = options.gradScale ?? 1;
    if (typeof gradScale !== "number" || !Number.isFinite(gradScale) || gradScale <= 0) {
      throw new ValueError(`SINGD.step: gradScale must be a finite number > 0, got ${String(gradScale)}`);
    }
    const t = this.#steps;
    const updating = this.layers.flatMap((layer, i) => (t % layer.options.T === 0 ? [i] : []));
    // Check every schedule before anything changes.
    for (const i of updating) lrCovAt(this.layers[i].options.lrCov, t, this.layers[i].name);
    const { step, run } = await this.#program(X, y, updating);
    const previousScale = this.#gradScales.get(t - 1) as number;
    const gradUnscaling = previousScale / (gradScale * gradScale);
    const feeds: Record<string, Tensor> = {
      x: X, y, ...leafFeeds(step.leaves, X.shape[0], this.#generator), [stepNames.gradScale]: tensor(gradScale, { dtype: this.#dtype }),
      ...tracedFeeds(this.layers, this.preconditioners, step, updating, { n: X.shape[0], previousScale, gradUnscaling, step: t, dtype: this.#dtype }),
    };
    const outputs = await run.run(feeds);
    const loss = outputs[stepNames.loss].item();
    const nonFinite = this.#nonFiniteOutputs(outputs, updating, step.traced);
    if (nonFinite.length > 0 || !Number.isFinite(loss)) {
      if (options.gradScale !== undefined) {
        this.#warn(`SINGD: non-finite gradients at step ${t} (gradient scale ${gradScale}: ${nonFinite.join(", ") || `loss ${loss}`}); skipping the update`);
        this.#gradScales.set(t, gradScale);
        this.#finishStep(true);
        return loss;
      }
      const what = nonFinite.length > 0 ? `${nonFinite.join(", ")} ${nonFinite.length === 1 ? "is" : "are"} not finite` : `the loss is ${loss}`;
      throw new ValueError(`SINGD.step: at step ${t}, ${what}; the parameters and the optimizer's state are unchanged`);
    }
    if (t === 0 && this.#gradScales.get(-1) === 1 && gradScale !== 1) {
      this.#warn(`SINGD: gradient scale ${gradScale} at step 0 while initGradScale is 1; passing a similar value as initGradScale improves the first pre-conditioner update's stability`);
    }
    this.#gradScales.set(t, gradScale);
    const terms = new Map<number, CurvatureTerms>();
    for (const i of updating) {
      if (step.traced[i]) continue;
      const layer = this.layers[i];
      const { rowsK, lossTerms } = rowCounts(layer, X.shape[0], step.sharedPositions[i]);
      const kinds = step.terms.get(i) as { input: TermKind; gradient: TermKind };
      const input = { kind: kinds.input, value: outputs[{ rows: stepNames.inputRows, moment: stepNames.inputMoment, diagonal: stepNames.inputDiagonal }[kinds.input](i)] };
      const gradient = { kind: kinds.gradient, value: outputs[{ rows: stepNames.gradientRows, moment: stepNames.gradientMoment, diagonal: stepNames.gradientDiagonal }[kinds.gradient](i)] };
      terms.set(i, this.#preconditioner(layer).curvatureTerms(input, gradient, rowsK, lossTerms, previousScale));
    }
    const updated: Record<string, Tensor> = {};
    const parameters = new Map(this.model.namedParameters());
    this.#pendingBuffers.clear();
    this.layers.forEach((layer, i) => {
      const preconditioner = this.#preconditioner(layer);
      let natural: Tensor<FloatDType>;
      if (step.traced[i]) {
        if (updating.includes(i)) installTracedUpdate(preconditioner, i, outputs);
        natural = outputs[denseNames.naturalGradient(i)] as Tensor<FloatDType>;
      } else if (step.tracedNaturalGradient[i]) {
        natural = outputs[denseNames.naturalGradient(i)] as Tensor<FloatDType>;
      } else {
        const term = terms.get(i);
        if (term !== undefined) preconditioner.update(term, t, gradUnscaling);
        const bias = layer.bias === undefined ? undefined : outputs[stepNames.gradient(layer.bias)];
        natural = preconditioner.naturalGradient(jointGradient(layer, outputs[stepNames.gradient(layer.weight)], bias, gradScale));
      }
      for (const [name, delta] of splitJoint(layer, natural)) {
        const { parameter, buffer } = parameterUpdate(layer, parameters.get(name) as Tensor<FloatDType>, delta, this.momentumBuffers.get(name));
        updated[name] = parameter;
        if (buffer !== undefined) this.#pendingBuffers.set(name, buffer);
      }
    });
    this.model.loadStateDict(updated, { strict: false });
    for (const [name, buffer] of this.#pendingBuffers) this.momentumBuffers.set(name, buffer);
    this.#pendingBuffers.clear();
    this.#finishStep(false);
    return loss;
  }

  /** The optimizer's whole state as tensors (copies; see the README's "State"). */
  stateDict(): StateDict {
    return singdStateDict(this.#steps, this.#gradScales.get(this.#steps - 1) as number, this.layers, this.preconditioners, this.momentumBuffers);
  }

  /** Restores a {@link SINGD.stateDict} of an optimizer with the same layers, structures and dtypes; checks everything before changing anything. */
  loadStateDict(state: Readonly<StateDict>): void {
    if (this.#stepping) throw new ValueError("SINGD.loadStateDict: a step is running; await it first");
    const loaded = loadSINGDState(state, this.layers, this.preconditioners);
    this.#steps = loaded.steps;
    this.#gradScales.clear();
    this.#gradScales.set(loaded.steps - 1, loaded.previousGradScale);
    for (const [name, p] of loaded.preconditioners) {
      const target = this.#preconditioner(this.layers.find((l) => l.name === name) as SINGDLayer);
      target.K = p.K;
      target.C = p.C;
      target.invalidate();
      if (p.mK !== undefined) target.mK = p.mK;
      if (p.mC !== undefined) target.mC = p.mC;
    }
    this.momentumBuffers.clear();
    for (const [name, buffer] of loaded.momentumBuffers) this.momentumBuffers.set(name, buffer);
  }

  /** Releases the compiled step programs. */
  async dispose(): Promise<void> {
    const programs = [...this.#programs.values()];
    this.#programs.clear();
    const settled = await Promise.allSettled(programs);
    await Promise.all(settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.run.dispose()] : [])));
  }

  #finishStep(skipped: boolean): void {
    this.#lastStepSkipped = skipped;
    this.#steps += 1;
    for (const t of [...this.#gradScales.keys()]) if (t < this.#steps - 1) this.#gradScales.delete(t);
  }

  #preconditioner(layer: SINGDLayer): LayerPreconditioner {
    return this.preconditioners.get(layer.name) as LayerPreconditioner;
  }




  readonly #pendingBuffers = new Map<string, Tensor<FloatDType>>();

  /** The parameters whose gradients, and the layers whose curvature moments or traced updates, have a non-finite entry. */
  #nonFiniteOutputs(outputs: Record<string, Tensor>, updating: readonly number[], traced: readonly boolean[]): string[] {
    const finite = (t: Tensor) => allFinite(t.data as Float32Array | Float64Array);
    const bad: string[] = [];
    for (const layer of this.layers) {
      for (const name of layer.bias === undefined ? [layer.weight] : [layer.weight, layer.bias]) {
        if (!finite(outputs[stepNames.gradient(name)])) bad.push(`the gradient of "${name}"`);
      }
    }
    for (const i of updating) {
      const names = traced[i]
        ? [denseNames.nextK(i), denseNames.nextC(i)]
        : [stepNames.inputMoment(i), stepNames.gradientMoment(i), stepNames.inputRows(i), stepNames.gradientRows(i), stepNames.inputDiagonal(i), stepNames.gradientDiagonal(i)].filter((name) => outputs[name] !== undefined);
      if (!names.every((name) => finite(outputs[name]))) bad.push(`the curvature terms of layer "${this.layers[i].name}"`);
    }
    traced.forEach((isTraced, i) => {
      const name = denseNames.naturalGradient(i);
      if ((isTraced || outputs[name] !== undefined) && !finite(outputs[name])) bad.push(`the natural gradient of layer "${this.layers[i].name}"`);
    });
    return bad;
  }

  #checkBatch(batch: SINGDBatch): [Tensor, Tensor] {
    if (!Array.isArray(batch) || batch.length !== 2 || !(batch[0] instanceof Tensor) || !(batch[1] instanceof Tensor)) {
      throw new ValueError(`SINGD.step: expected a batch [X, y] of two tensors, got ${String(batch)}`);
    }
    const [X, y] = batch;
    if (X.ndim < 1 || (y.ndim > 0 && y.shape[0] !== X.shape[0])) {
      throw new ShapeError(`SINGD.step: X ${formatShape(X.shape)} and y ${formatShape(y.shape)} must share the batch axis (axis 0)`);
    }
    // The fast scan first; assertFinite names the first bad entry.
    if (!allFinite(X.data as Float32Array)) assertFinite("X", X);
    if (isFloat(y.dtype) && !allFinite(y.data as Float32Array)) assertFinite("y", y);
    const cast = (t: Tensor) => (isFloat(t.dtype) && t.dtype !== this.#dtype ? t.astype(this.#dtype) : t);
    return [cast(X), cast(y)];
  }

  #program(X: Tensor, y: Tensor, updating: readonly number[]): Promise<CompiledStep> {
    const specs: { X: InputSpec; y: InputSpec } = {
      X: { dtype: X.dtype, shape: [BATCH, ...X.shape.slice(1)] },
      y: { dtype: y.dtype, shape: y.ndim === 0 ? [] : [BATCH, ...y.shape.slice(1)] },
    };
    const key = `${updating.join(",")}|${X.dtype}${formatShape(specs.X.shape)}|${y.dtype}${formatShape(specs.y.shape)}`;
    let program = this.#programs.get(key);
    if (program === undefined) {
      program = (async () => {
        let step: StepProgram;
        try {
          step = buildStepProgram(this.model, this.lossFunction, this.layers, specs, this.#dtype, updating, {
            batchSize: X.shape[0], singdBlockDiagonalQuirk: this.#singdBlockDiagonalQuirk,
          });
        } catch (error) {
          if (error instanceof ValueError && /applied/.test(error.message)) throw error;
          throw new ShapeError(`SINGD.step: the model and loss do not accept X ${formatShape(X.shape)} (${X.dtype}) and y ${formatShape(y.shape)} (${y.dtype}): ${(error as Error).message}`, { cause: error });
        }
        return { step, run: await compileProgram(step.program, this.#compileOptions) };
      })();
      this.#programs.set(key, program);
      program.catch(() => this.#programs.delete(key));
    }
    return program;
  }
}


