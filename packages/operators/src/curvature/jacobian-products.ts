/**
 * What `JacobianLinearOperator` and `TransposedJacobianLinearOperator`
 * share: the model's Jacobian over the whole data set, `J` of shape
 * `[N·C, P]` with rows ordered as the stacked outputs `(N, ...out)`
 * (curvlinops), and its two batched products. Both need the data's size and
 * the output's shape when they are built, so the data must be an array or
 * a synchronous iterable.
 */
import { Generator, ValueError, formatShape, sizeOf, type FloatDType, type Shape, type Tensor } from "@curv/tensor";
import { input, jvp, vjp, vmap, type Module, type Program, type Value } from "@curv/autodiff";
import { stackedBlocks, WeightedSum } from "./column-layout.js";
import type { CurvatureOptions } from "./curvature-options.js";
import { CurvatureRun } from "./curvature-run.js";
import type { DataBatch, DataSource } from "./data-loop.js";
import { ProgramCache } from "./program-cache.js";

/** The Jacobian's data pass and compiled programs. */
export class JacobianProducts<D extends FloatDType> {
  readonly run: CurvatureRun<D>;
  /** `[N, ...out]`: the shape of the stacked outputs, the Jacobian's row space. */
  readonly outputShape: Shape;
  readonly #programs: ProgramCache;
  #checked: Promise<void> | undefined;
  /** Where each batch of the current pass ends in the stacked outputs. */
  #offsets: number[] = [];

  constructor(model: Module, params: readonly string[], data: DataSource, options: CurvatureOptions, who: string) {
    this.run = new CurvatureRun<D>(model, params, data, options, who);
    const { first, numData } = readSynchronously(data, options, who);
    this.run.setSpecs(first[0], first[1]);
    this.run.setNumData(numData);
    this.outputShape = Object.freeze([numData, ...this.run.outputTrailingShape()]);
    this.#programs = new ProgramCache(this.run.compileOptions);
  }

  /** The rows per example. */
  get rowsPerExample(): number {
    return sizeOf(this.outputShape.slice(1));
  }

  /** Runs the determinism check once (two products with one random vector must agree), unless it is off. */
  async ready(product: (x: Tensor<D>) => Promise<Tensor<D>>, columns: number): Promise<void> {
    if (!this.run.checkDeterministic) return;
    this.#checked ??= (async () => {
      const probe = new Generator(0).normal([columns, 1], { dtype: this.run.dtype });
      this.run.assertSameProducts(await product(probe), await product(probe));
    })();
    try {
      await this.#checked;
    } catch (error) {
      this.#checked = undefined;
      throw error;
    }
  }

  /** `J X` for `X` `[P, K]`: each batch's `[K, N_b, ...out]` placed at its rows. */
  async jacobianProduct(x: Tensor<D>): Promise<Tensor<D>> {
    const columns = x.shape[1];
    const program = await this.#programs.get(`jvp ${columns}`, () => this.jvpProgram(columns));
    const feeds = Object.fromEntries(stackedBlocks(x, this.run.selection.shapes).map((block, i) => [`probe.${i}`, block]));
    const generator = this.run.productGenerator();
    const rows = this.rowsPerExample;
    const sum = await this.run.loop.mapReduce(
      (batch) => this.run.runBatch(program, batch, generator, feeds),
      (total, outputs, batch) => {
        const start = this.exampleOffset(batch.index, batch.X.shape[0]);
        return total.addStacked([outputs.jv], 1, start * rows);
      },
      new WeightedSum(this.outputShape.reduce((n, d) => n * d, 1), columns),
    );
    this.resetOffsets();
    return sum.toTensor(this.run.dtype);
  }

  /** `Jᵀ W` for `W` `[N·C, K]`: each batch's rows as `[K, N_b, ...out]`, pulled back and summed. */
  async transposedProduct(w: Tensor<D>): Promise<Tensor<D>> {
    const columns = w.shape[1];
    const program = await this.#programs.get(`vjp ${columns}`, () => this.vjpProgram(columns));
    const shapes = this.run.selection.shapes;
    const generator = this.run.productGenerator();
    const rows = this.rowsPerExample;
    const sum = await this.run.loop.mapReduce(
      (batch) => {
        const examples = batch.X.shape[0];
        const start = this.exampleOffset(batch.index, examples);
        const block = w.slice([start * rows, (start + examples) * rows]) as Tensor<D>;
        const [cotangent] = stackedBlocks(block, [[examples, ...this.outputShape.slice(1)]]);
        return this.run.runBatch(program, batch, generator, { cotangent });
      },
      (total, outputs) => total.addStacked(shapes.map((_, i) => outputs[`vjp.${i}`]), 1),
      new WeightedSum(shapes.reduce((n, s) => n + sizeOf(s), 0), columns),
    );
    this.resetOffsets();
    return sum.toTensor(this.run.dtype);
  }

  /** The first example of batch `index` in the stacked outputs; checks that the data fits N. */
  private exampleOffset(index: number, examples: number): number {
    const start = index === 0 ? 0 : this.#offsets[index - 1];
    const end = start + examples;
    if (end > this.outputShape[0]) {
      throw new ValueError(`${this.run.who}: the data has more than ${this.outputShape[0]} examples (numData); it must not change between passes`);
    }
    this.#offsets[index] = end;
    return start;
  }

  private resetOffsets(): void {
    const seen = this.#offsets.at(-1) ?? 0;
    this.#offsets = [];
    if (seen !== this.outputShape[0]) {
      throw new ValueError(`${this.run.who}: the data has ${seen} examples but the operator was built for ${this.outputShape[0]} (numData); it must not change between passes`);
    }
  }

  private jvpProgram(columns: number): Program {
    const trace = this.run.trace();
    const probes = this.run.selection.shapes.map((shape, i) => input(`probe.${i}`, this.run.dtype, [columns, ...shape]));
    const forward = (params: Value[]) => [trace.forward(params)];
    const [jv] = vmap((vectors) => jvp(forward, trace.selected, vectors)[1], columns, probes.map(() => true))(probes);
    return trace.program(`JacobianLinearOperator_${columns}`, [{ name: "jv", value: jv }], probes, [trace.x]);
  }

  private vjpProgram(columns: number): Program {
    const trace = this.run.trace();
    const output = trace.output;
    const cotangent = input("cotangent", this.run.dtype, [columns, ...output.shape]);
    const [, pullback] = vjp((params) => [trace.forward(params)], trace.selected);
    const products = vmap(([u]) => pullback([u]), columns, [true])([cotangent]);
    const outputs = products.map((value, i) => ({ name: `vjp.${i}`, value }));
    return trace.program(`TransposedJacobianLinearOperator_${columns}`, outputs, [cotangent], [trace.x]);
  }

  dispose(): Promise<void> {
    return this.#programs.dispose();
  }
}

/** The first batch and N of a synchronous data source, read at construction. */
function readSynchronously(data: DataSource, options: CurvatureOptions, who: string): { first: DataBatch; numData: number } {
  if (!Array.isArray(data) && typeof (data as Iterable<DataBatch>)?.[Symbol.iterator] !== "function") {
    throw new ValueError(`${who}: data must be an array or a synchronous iterable of [X, y] batches (the operator's shape depends on the number of examples), got ${describe(data)}`);
  }
  const batchSize = options.batchSizeFn ?? ((X: Tensor) => X.shape[0]);
  let first: DataBatch | undefined;
  let numData = 0;
  for (const batch of data as Iterable<DataBatch>) {
    first ??= batch;
    if (options.numData !== undefined) break;
    if (!Array.isArray(batch) || batch.length !== 2 || typeof batch[0]?.shape !== "object") {
      throw new ValueError(`${who}: every batch must be an [X, y] pair of tensors, got ${describe(batch)}`);
    }
    numData += batchSize(batch[0]);
  }
  if (first === undefined) throw new ValueError(`${who}: the data yielded no batches`);
  if (!Array.isArray(first) || first.length !== 2 || typeof first[0]?.shape !== "object" || typeof first[1]?.shape !== "object") {
    throw new ValueError(`${who}: every batch must be an [X, y] pair of tensors, got ${describe(first)}`);
  }
  if (first[0].shape.length < 1) throw new ValueError(`${who}: X needs a batch axis, got shape ${formatShape(first[0].shape)}`);
  return { first, numData: options.numData ?? numData };
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x === "object" ? (x.constructor?.name ?? "an object") : typeof x;
}
