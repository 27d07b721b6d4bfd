/**
 * The one program a first-order optimizer runs per step: the model's forward
 * on a batch, the loss, and the gradient of the loss with respect to every
 * parameter (reverse mode), traced and compiled once on the first batch.
 * Parameters are program inputs, so the same compiled program serves every
 * step; the batch axis is symbolic, so it serves a smaller last batch too.
 */
import { DTypeError, ShapeError, Tensor, ValueError, formatShape, isFloat, type FloatDType, type Generator } from "@curv/tensor";
import {
  assertFinite, compileProgram, functionalCall, input, makeProgram, ModelInputs, valueAndGrad,
  type CompiledFunction, type CompileFunctionOptions, type CurvatureLoss, type Module, type Value,
} from "@curv/autodiff";

/** A batch as the optimizers' `step` takes it: inputs `X` (batch first) and targets `y`. */
export type Batch = readonly [X: Tensor, y: Tensor];

/** The loss of a batch and the gradient of each parameter, in `namedParameters()` order. */
export interface LossAndGradient {
  readonly loss: number;
  readonly gradients: readonly Tensor[];
}

/** Compiles `loss(model(X), y)` and its gradient once, then runs it on batches with the model's current parameters. */
export class LossAndGradientProgram {
  readonly #model: Module;
  readonly #lossFunction: CurvatureLoss;
  readonly #compileOptions: CompileFunctionOptions;
  readonly #who: string;
  #compiled: Promise<CompiledFunction> | undefined;
  #signature = "";

  constructor(model: Module, lossFunction: CurvatureLoss, compileOptions: CompileFunctionOptions, who: string) {
    this.#model = model;
    this.#lossFunction = lossFunction;
    this.#compileOptions = compileOptions;
    this.#who = who;
  }

  /**
   * Checks the batch (a pair of tensors, one batch axis, finite inputs), then
   * runs the program. Nothing is changed when the batch is refused.
   */
  async run(batch: Batch, generator?: Generator): Promise<LossAndGradient> {
    const [X, y] = checkBatch(batch, this.#dtype(), this.#who);
    const signature = `${X.dtype}${formatShape(X.shape.slice(1))} ${y.dtype}${formatShape(y.shape.slice(1))}`;
    if (this.#compiled === undefined) {
      this.#signature = signature;
      this.#compiled = this.#compile(X, y);
      this.#compiled.catch(() => (this.#compiled = undefined));
    } else if (signature !== this.#signature) {
      throw new ShapeError(`${this.#who}.step: the batch is ${signature} but the optimizer was compiled for ${this.#signature}; keep the example shape and dtypes fixed`);
    }
    const compiled = await this.#compiled;
    const leaves = ModelInputs.of(this.#model);
    const feeds: Record<string, Tensor> = { x: X, y, ...leaves.tensors() };
    for (const random of leaves.randoms) {
      if (generator === undefined) throw new ValueError(`${this.#who}.step: the model draws "${random.name}" (Dropout in training mode); pass a generator`);
      feeds[random.name] = random.draw(generator, random.shape.map((d) => (typeof d === "number" ? d : X.shape[0])));
    }
    const outputs = await compiled.run(feeds);
    const gradients = leaves.parameterNames.map((_, i) => outputs[`gradient.${i}`]);
    return { loss: outputs.loss.item(), gradients };
  }

  /** Releases the compiled program; the next run compiles again. */
  async dispose(): Promise<void> {
    const compiled = this.#compiled;
    this.#compiled = undefined;
    if (compiled !== undefined) await (await compiled).dispose();
  }

  #dtype(): FloatDType {
    const parameters = this.#model.parameters();
    if (parameters.length === 0) throw new ValueError(`${this.#who}: the model has no parameters to train`);
    return parameters[0].dtype as FloatDType;
  }

  #compile(X: Tensor, y: Tensor): Promise<CompiledFunction> {
    const leaves = ModelInputs.of(this.#model);
    const x = input("x", X.dtype, ["batch", ...X.shape.slice(1)]);
    const target = input("y", y.dtype, ["batch", ...y.shape.slice(1)]);
    const objective = (parameters: Value[]): Value => {
      const { output } = functionalCall(this.#model, x, leaves.withParameters(parameters), { taps: false });
      return this.#lossFunction.value(output, target);
    };
    const [loss, gradients] = valueAndGrad(objective)(leaves.parameters);
    const outputs = [{ name: "loss", value: loss }, ...gradients.map((value, i) => ({ name: `gradient.${i}`, value }))];
    const program = makeProgram(`${this.#who}_loss_and_gradient`, [x, target, ...leaves.values], outputs);
    return compileProgram(program, this.#compileOptions);
  }
}

/** `[X, y]` with float `X` in the parameters' dtype (or integer `X`: token ids, which are data), one batch axis shared, every entry of `X` (and of float `y`) finite. */
function checkBatch(batch: Batch, dtype: FloatDType, who: string): [Tensor, Tensor] {
  if (!Array.isArray(batch) || batch.length !== 2 || !(batch[0] instanceof Tensor) || !(batch[1] instanceof Tensor)) {
    throw new ValueError(`${who}.step: expected a batch [X, y] of two tensors, got ${describe(batch)}`);
  }
  const [X, y] = batch as Batch;
  const ids = X.dtype === "int64" || X.dtype === "int32";
  if (!isFloat(X.dtype) && !ids) throw new DTypeError(`${who}.step: X must be a float tensor (or int64/int32 token ids), got ${X.dtype}`);
  if (!ids && X.dtype !== dtype) throw new DTypeError(`${who}.step: X is ${X.dtype} but the model's parameters are ${dtype}; convert one of them`);
  if (X.ndim === 0 || y.ndim === 0 || X.shape[0] !== y.shape[0] || X.shape[0] === 0) {
    throw new ShapeError(`${who}.step: X ${formatShape(X.shape)} and y ${formatShape(y.shape)} must share a non-empty batch axis`);
  }
  try {
    assertFinite("X", X);
    assertFinite("y", y);
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    throw new ValueError(`${who}.step: the batch is refused and the parameters are unchanged: ${error.message}`, { cause: error });
  }
  return [X, y];
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? "null" : typeof value;
}
