/**
 * What every curvature operator shares, whatever it computes: the model and
 * the selected parameters, the data loop, N, the data's types, the runtime,
 * running one compiled program on one batch, batch weights, and the
 * determinism checks (curvlinops' `_check_deterministic`).
 */
import { DTypeError, Generator, ShapeError, formatShape, isFloat, type CompileOptions, type FloatDType, type Tensor } from "@curv/tensor";
import type { CompiledFunction, CurvatureLoss, Module } from "@curv/autodiff";
import { checkCurvatureOptions, compileOptionsOf, DEFAULT_SEED, type CurvatureOptions } from "./curvature-options.js";
import { castBatch, CurvatureTrace, dataSpecsOf, type DataSpecs } from "./curvature-trace.js";
import { assertClassLabels, assertFinite, NonFiniteValueError } from "./data-checks.js";
import { SequentialDataLoop, type DataSource, type IndexedBatch } from "./data-loop.js";
import { NondeterministicModelError } from "./nondeterministic-model-error.js";
import { selectParameters, type ParameterSelection } from "./parameter-selection.js";

/** curvlinops' tolerances for two passes' loss and gradient, and for two products. */
const SAME_PASS = { rtol: 5e-5, atol: 1e-6 };
const SAME_PRODUCT = { rtol: 1e-5, atol: 1e-8 };

/** The shared state of one curvature operator. */
export class CurvatureRun<D extends FloatDType> {
  readonly model: Module;
  readonly selection: ParameterSelection;
  readonly loop: SequentialDataLoop;
  readonly dtype: D;
  readonly compileOptions: CompileOptions;
  readonly checkDeterministic: boolean;
  readonly who: string;
  readonly #seed: number;
  #numData: number | undefined;
  #specs: DataSpecs | undefined;
  #feedTrace: CurvatureTrace | undefined;
  /** The batches (by their X) whose data were checked already: every pass sees the same batches. */
  readonly #checked = new WeakSet<Tensor>();
  #classes: number | undefined;

  constructor(model: Module, params: readonly string[], data: DataSource, options: CurvatureOptions, who: string) {
    checkCurvatureOptions(options, who);
    if (model === null || typeof model !== "object" || typeof model.namedParameters !== "function") {
      throw new DTypeError(`${who}: model must be an nn Module (e.g. a Sequential, or importOnnx's model), got ${String(model)}`);
    }
    this.who = who;
    this.model = model;
    this.selection = selectParameters(model, params, who);
    const dtype = options.dtype ?? this.selection.dtype;
    if (dtype !== this.selection.dtype) {
      throw new DTypeError(`${who}: dtype is ${dtype} but the model's parameters are ${this.selection.dtype}; convert the model with model.to("${dtype}")`);
    }
    this.dtype = dtype as D;
    this.checkDeterministic = options.checkDeterministic ?? true;
    if (this.checkDeterministic) assertDeterministicLayers(model, who);
    this.loop = new SequentialDataLoop(data, { batchSizeFn: options.batchSizeFn, progressbar: options.progressbar, label: who });
    this.compileOptions = compileOptionsOf(options);
    this.#numData = options.numData;
    this.#seed = options.seed ?? DEFAULT_SEED;
  }

  /** N (known after {@link CurvatureRun.prepare}, or from the `numData` option). */
  get numData(): number | undefined {
    return this.#numData;
  }

  /** The data's types (after {@link CurvatureRun.prepare}). */
  get specs(): DataSpecs {
    if (this.#specs === undefined) throw new Error(`${this.who}: the data's types are read by prepare()`);
    return this.#specs;
  }

  /** Reads the first batch's types (tracing the model on them) and counts N unless it was given. */
  async prepare(): Promise<void> {
    for (const [name, parameter] of this.model.namedParameters()) assertFinite(parameter, `the parameter ${name}`, this.who);
    if (this.#specs === undefined) {
      const first = await this.loop.first();
      this.setSpecs(first.X, first.y);
    }
    this.#numData ??= await this.loop.mapReduce(async (batch) => batch.size, (n, size) => n + size, 0);
  }

  /** Sets the data's types from a batch and traces the model on them (which checks that the model accepts X). */
  setSpecs(X: Tensor, y: Tensor): void {
    const specs = dataSpecsOf(X, y, this.dtype);
    this.#feedTrace = new CurvatureTrace(this.model, this.selection, specs, this.who);
    this.#specs = specs;
    // Integer targets are class indices along the output's axis 1 (cross-entropy's only integer form).
    const classes = this.#feedTrace.output.shape[1];
    this.#classes = typeof classes === "number" ? classes : undefined;
  }

  /** The model output's extents after the batch axis (numbers: only the batch may be symbolic). */
  outputTrailingShape(): number[] {
    const shape = (this.#feedTrace as CurvatureTrace).output.shape.slice(1);
    if (!shape.every((d): d is number => typeof d === "number")) {
      throw new ShapeError(`${this.who}: the model's output ${formatShape((this.#feedTrace as CurvatureTrace).output.shape)} has a symbolic extent besides the batch axis`);
    }
    return shape;
  }

  /** Sets N (counted synchronously by an operator that needs it at construction). */
  setNumData(numData: number): void {
    this.#numData = numData;
  }

  /** A fresh trace of the model on the data's types, for a new program. */
  trace(): CurvatureTrace {
    return new CurvatureTrace(this.model, this.selection, this.specs, this.who);
  }

  /** The generator of one product's draws: reseeded every product, so products are reproducible (curvlinops reseeds every matmat). */
  productGenerator(): Generator {
    return new Generator(this.#seed);
  }

  /** A batch's weight in a sum over the data: `N_b / N` under mean reduction, 1 under sum (curvlinops). */
  batchWeight(loss: CurvatureLoss, batch: IndexedBatch): number {
    return loss.reduction === "mean" ? batch.size / (this.#numData as number) : 1;
  }

  /** Runs `program` on a batch: data, the model's current parameters and buffers, its random draws, and `extra` feeds. */
  async runBatch(program: CompiledFunction, batch: IndexedBatch, generator: Generator, extra: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    this.model.checkData(batch.X, `batch ${batch.index}: X`);
    const { X, y } = castBatch(batch.X, batch.y, this.specs);
    const trace = this.#feedTrace as CurvatureTrace;
    this.checkBatch(batch);
    const feeds: Record<string, Tensor> = { x: X, y, ...trace.leafFeeds(X.shape[0], generator), ...extra };
    // Simplification may drop an input a program does not need (the targets of a Jacobian); feed only what it reads.
    const needed = Object.fromEntries(program.compiled.inputs.map((info) => [info.name, feeds[info.name]]));
    const outputs = await program.run(needed);
    for (const [name, value] of Object.entries(outputs)) assertFinite(value, `the program output "${name}" of batch ${batch.index}`, this.who);
    return outputs;
  }

  /** Finite inputs and targets, class labels within the model's classes; each batch is checked once. */
  private checkBatch(batch: IndexedBatch): void {
    if (this.#checked.has(batch.X)) return;
    assertFinite(batch.X, `X of batch ${batch.index}`, this.who);
    assertFinite(batch.y, `y of batch ${batch.index}`, this.who);
    const classes = this.#classes;
    if (!isFloat(batch.y.dtype) && batch.y.dtype !== "bool" && classes !== undefined) assertClassLabels(batch.y, classes, `y of batch ${batch.index}`, this.who);
    this.#checked.add(batch.X);
  }

  /** Two passes' loss and gradient must agree (curvlinops: rtol 5e-5, atol 1e-6). */
  assertSamePass(first: { gradient: Tensor[]; loss: number }, second: { gradient: Tensor[]; loss: number }): void {
    const values = (pass: { gradient: Tensor[]; loss: number }) => [pass.loss, ...pass.gradient.flatMap((g) => Array.from(g.data as ArrayLike<number>))];
    const difference = mismatch(values(second), values(first), SAME_PASS);
    if (difference !== undefined) {
      throw new NondeterministicModelError(
        `${this.who}: two passes over the data gave different losses or gradients (${difference}; the loss is entry 0); ` +
          "the data must come in a fixed order and the model must not draw random numbers (pass checkDeterministic: false to skip this check)",
      );
    }
  }

  /** Two products with the same vector must agree (curvlinops: rtol 1e-5, atol 1e-8). */
  assertSameProducts(first: Tensor, second: Tensor): void {
    const difference = mismatch(second.data as ArrayLike<number>, first.data as ArrayLike<number>, SAME_PRODUCT);
    if (difference !== undefined) {
      throw new NondeterministicModelError(`${this.who}: two products with the same vector differ (${difference}); pass checkDeterministic: false to skip this check`);
    }
  }
}

/** Throws when a layer of `model` draws random numbers (Dropout in training mode), naming the layers. */
export function assertDeterministicLayers(model: Module, who: string): void {
  if (model.isDeterministic) return;
  const layers = model.namedModules().filter(([, m]) => m.children().length === 0 && !m.isDeterministic);
  const names = layers.map(([name, m]) => `${m.toString()} at "${name}"`).join(", ");
  throw new NondeterministicModelError(
    `${who}: the model is not deterministic: ${names || "a layer"} draws random numbers in training mode; ` +
      `call model.eval() first, or pass checkDeterministic: false to accept a random function (its draws then come from the operator's seed)`,
  );
}

/** Where `actual` and `expected` first differ beyond `|a - b| <= atol + rtol |b|`, as a sentence; undefined when they agree. */
function mismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, { rtol, atol }: { rtol: number; atol: number }): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    // Not finite is not non-deterministic: say so instead of blaming the data order.
    if (!Number.isFinite(actual[i]) || !Number.isFinite(expected[i])) {
      throw new NonFiniteValueError(`entry ${i} of two passes is ${expected[i]} and ${actual[i]}: the model's output, loss or gradient is not finite (check the data and parameters)`);
    }
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) return `entry ${i}: ${actual[i]} vs ${expected[i]}`;
  }
  return undefined;
}
