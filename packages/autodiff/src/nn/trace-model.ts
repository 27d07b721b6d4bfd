/**
 * From a model to a program: the forward traced over a data input and the
 * model's leaves, and the feeds that run it with the model's current tensors.
 *
 * The program's inputs are, in order: the data, every parameter (in
 * `namedParameters()` order, named by their dotted names), the buffers the
 * forward read, and the random draws it asked for. Parameters are inputs,
 * never constants, so one program serves every parameter value.
 */
import { DTypeError, formatShape, isFloat, ShapeError, ValueError, type Dim, type Generator, type Tensor } from "@curv/tensor";
import { input } from "../core/leaves.js";
import { makeProgram, type InputSpec, type Program } from "../core/program.js";
import type { Value } from "../core/value.js";
import { ForwardContext, type ForwardHooks, type LayerRecord } from "./forward-context.js";
import { ModelInputs } from "./model-inputs.js";
import type { Module } from "./module.js";

/** Options of {@link traceModel}. */
export interface TraceModelOptions {
  /** The data input's name; default `"x"`. */
  readonly dataName?: string;
  /** The program's name; default `"model"`. */
  readonly name?: string;
  /** Hooks run while tracing (layer taps). */
  readonly hooks?: ForwardHooks;
}

/** Options of {@link TracedModel.feeds}. */
export interface FeedOptions {
  /** Draws the random inputs (Dropout masks in training mode); required when the program has any. */
  readonly generator?: Generator;
  /** Rejects NaN or infinite entries in the data, parameters and buffers with a {@link ValueError} naming the input and entry. */
  readonly checkFinite?: boolean;
}

/** A model traced into a program, with what curvature code needs to find its pieces. */
export interface TracedModel {
  readonly program: Program;
  readonly model: Module;
  /** The data input. */
  readonly data: Value;
  /** The model's output (the program's output `"output"`). */
  readonly output: Value;
  /** The parameter, buffer and random-draw inputs. */
  readonly inputs: ModelInputs;
  /** Every parameterized layer's application, in forward order. */
  readonly layers: readonly LayerRecord[];
  /** The feeds for a run on `data`: the data, the model's current parameters and buffers, and fresh random draws. */
  feeds(data: Tensor, options?: FeedOptions): Record<string, Tensor>;
}

/**
 * Runs `model`'s forward on `x` with the given leaves and hooks, recording
 * its parameterized layers. This is PyTorch's `torch.func.functional_call`:
 * the parameters are whatever values `inputs` holds (see
 * {@link ModelInputs.withParameters}), so it composes with `vjp`, `jvp` and `hvp`.
 *
 * @example
 * ```ts
 * const leaves = ModelInputs.of(model);
 * const [[output], pullback] = vjp((params) => [functionalCall(model, x, leaves.withParameters(params)).output], leaves.parameters);
 * ```
 */
export function functionalCall(model: Module, x: Value, inputs: ModelInputs, hooks: ForwardHooks = {}): { output: Value; layers: readonly LayerRecord[] } {
  if (inputs.model !== model) throw new ValueError("functionalCall: the inputs were made for another model");
  const context = new ForwardContext(inputs, { hooks });
  const output = model.forward(x, context);
  return { output, layers: context.layers };
}

/**
 * Traces `model` on a data input of type `dataSpec` (the batch axis
 * symbolic, e.g. `["batch", 7]`) into a program with one output, `"output"`.
 *
 * @example
 * ```ts
 * const traced = traceModel(model, { dtype: "float64", shape: ["batch", 7] });
 * const run = await compileProgram(traced.program, { runtime: "js" });
 * const { output } = await run.run(traced.feeds(x));
 * ```
 */
export function traceModel(model: Module, dataSpec: InputSpec, options: TraceModelOptions = {}): TracedModel {
  const { dataName = "x", name = "model", hooks = {} } = options;
  const inputs = ModelInputs.of(model);
  if (inputs.parameterNames.includes(dataName) || model.namedBuffers().some(([n]) => n === dataName)) {
    throw new ValueError(`traceModel: the data input name "${dataName}" is also a parameter or buffer name; pass another dataName`);
  }
  const data = input(dataName, dataSpec.dtype, dataSpec.shape);
  const { output, layers } = functionalCall(model, data, inputs, hooks);
  const program = makeProgram(name, [data, ...inputs.values], [{ name: "output", value: output }]);
  return {
    program,
    model,
    data,
    output,
    inputs,
    layers,
    feeds: (tensor, feedOptions = {}) => feedsFor(data, inputs, tensor, feedOptions),
  };
}

function feedsFor(data: Value, inputs: ModelInputs, tensor: Tensor, { generator, checkFinite = false }: FeedOptions): Record<string, Tensor> {
  const dataName = data.source.kind === "input" ? data.source.name : "x";
  const bindings = new Map<string, number>();
  checkAgainst(dataName, data, tensor, bindings);
  const feeds: Record<string, Tensor> = { [dataName]: tensor, ...inputs.tensors() };
  if (checkFinite) for (const [name, t] of Object.entries(feeds)) assertFinite(name, t);
  for (const random of inputs.randoms) {
    if (generator === undefined) throw new ValueError(`feeds: the program draws "${random.name}" (${random.value}); pass a generator`);
    feeds[random.name] = random.draw(generator, resolveShape(random.name, random.shape, bindings));
  }
  return feeds;
}

/** Checks `tensor` against the input `value`'s type, binding symbolic extents. */
function checkAgainst(name: string, value: Value, tensor: Tensor, bindings: Map<string, number>): void {
  if (tensor.dtype !== value.dtype) throw new DTypeError(`feeds: "${name}" must be ${value.dtype}, got ${tensor.dtype}`);
  const fits = tensor.shape.length === value.rank && value.shape.every((d, i) => {
    if (typeof d === "number") return d === tensor.shape[i];
    const bound = bindings.get(d);
    if (bound === undefined) bindings.set(d, tensor.shape[i]);
    return bound === undefined || bound === tensor.shape[i];
  });
  if (!fits) throw new ShapeError(`feeds: "${name}" must have shape ${formatShape(value.shape)}, got ${formatShape(tensor.shape)}`);
}

function resolveShape(name: string, shape: readonly Dim[], bindings: Map<string, number>): number[] {
  return shape.map((d) => {
    if (typeof d === "number") return d;
    const bound = bindings.get(d);
    if (bound === undefined) throw new ShapeError(`feeds: cannot size "${name}" ${formatShape(shape)}: extent "${d}" is not bound by the data`);
    return bound;
  });
}

/**
 * Throws a {@link ValueError} naming the first NaN or infinite entry of `t`
 * (integer tensors pass).
 *
 * @example
 * ```ts
 * assertFinite("x", tensor([1, NaN]));   // ValueError: "x" has NaN at [1]; expected finite values
 * ```
 */
export function assertFinite(name: string, t: Tensor): void {
  if (!isFloat(t.dtype)) return;
  const data = t.data as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i])) continue;
    const index: number[] = [];
    let rest = i;
    for (let axis = t.shape.length - 1; axis >= 0; axis--) {
      index.unshift(rest % t.shape[axis]);
      rest = Math.floor(rest / t.shape[axis]);
    }
    throw new ValueError(`"${name}" has ${data[i]} at [${index.join(", ")}]; expected finite values`);
  }
}
