/**
 * What a module's forward reads besides its input: parameters, buffers and
 * random draws as symbolic values, scoped by the module's dotted name; and
 * where parameterized layers report themselves (the layer taps curvature
 * approximations such as KFAC start from).
 */
import type { Value } from "../core/value.js";
import { tapLayerInput, tapLayerOutput } from "../primitives/tap.js";
import type { ModelInputs, RandomInputSpec } from "./model-inputs.js";
import { joinName, type Module } from "./module.js";

/**
 * One traced application of a parameterized layer: the raw material of
 * KFAC, EKFAC and per-example gradients (the layer's input, and its output,
 * whose gradient a tap exposes).
 */
export interface LayerRecord {
  /** The module's dotted name (`"0"`, `"features.3"`; `""` for a model that is one layer). */
  readonly name: string;
  /** The label of the layer's taps (`tappedVjp` keys): its name, or its kind for a model that is one layer. */
  readonly label: string;
  /** The module's kind (`"Linear"`, `"Conv2d"`, ...). */
  readonly kind: string;
  readonly module: Module;
  /** The full names of the layer's parameters (`["0.weight", "0.bias"]`), in parameter order. */
  readonly parameterNames: readonly string[];
  /** The layer's input as traced (marked with `tapLayerInput` unless taps are off). */
  readonly input: Value;
  /** The layer's output as traced (marked with `tapLayerOutput` unless taps are off; before any hook replaced it). */
  readonly output: Value;
}

/** Hooks run while a model is traced. */
export interface ForwardHooks {
  /**
   * Whether parameterized layers mark their input and output with the tap
   * primitive (labelled by {@link LayerRecord.label}), so that `tappedVjp`
   * returns layer inputs and output gradients. Taps are identities; default true.
   */
  readonly taps?: boolean;
  /**
   * Sees every parameterized layer as it is traced. Returning a value
   * replaces the layer's output downstream: `add(output, perturbation)` with
   * a zero perturbation input is how a tap exposes the gradient with
   * respect to the layer's output without a second forward pass.
   */
  readonly layerOutput?: (record: LayerRecord) => Value | undefined;
}

/**
 * The scope a module's forward runs in; corresponds to the role PyTorch's
 * module attributes play inside `forward` (`self.weight`), with the tensors
 * replaced by program inputs.
 *
 * @example
 * ```ts
 * // Inside a layer's forward:
 * forward(x: Value, ctx: ForwardContext): Value {
 *   const input = ctx.layerInput(this, x);
 *   const y = matmul(input, swapLastAxes(ctx.parameter("weight")));
 *   return ctx.layer(this, input, y);
 * }
 * ```
 */
export class ForwardContext {
  /** The leaves this forward reads. */
  readonly inputs: ModelInputs;
  /** The dotted name of the module this scope belongs to (`""` at the root). */
  readonly prefix: string;
  private readonly hooks: ForwardHooks;
  private readonly records: LayerRecord[];

  constructor(inputs: ModelInputs, { prefix = "", hooks = {}, records = [] }: { prefix?: string; hooks?: ForwardHooks; records?: LayerRecord[] } = {}) {
    this.inputs = inputs;
    this.prefix = prefix;
    this.hooks = hooks;
    this.records = records;
  }

  /** The scope of the child module `name` (sharing inputs, hooks and records). */
  child(name: string): ForwardContext {
    return new ForwardContext(this.inputs, { prefix: joinName(this.prefix, name), hooks: this.hooks, records: this.records });
  }

  /** The module's own parameter `name` (`"weight"`) as a program input. */
  parameter(name: string): Value {
    return this.inputs.parameter(joinName(this.prefix, name));
  }

  /** The module's own buffer `name` (`"running_mean"`) as a program input. */
  buffer(name: string): Value {
    return this.inputs.buffer(joinName(this.prefix, name));
  }

  /** A random draw `name` (`"mask"`), made on the host when the program is fed and passed in as an input. */
  random(name: string, spec: RandomInputSpec): Value {
    return this.inputs.random(joinName(this.prefix, name), spec);
  }

  /** The module's name for messages: `Linear "0"`, or just `Linear` at the root. */
  describe(module: Module): string {
    return this.prefix === "" ? module.kind : `${module.kind} "${this.prefix}"`;
  }

  /** The tap label of `module` in this scope: its dotted name, or its kind at the root. */
  label(module: Module): string {
    return this.prefix === "" ? module.kind : this.prefix;
  }

  /** A parameterized layer's input, marked as the layer's input tap (unless taps are off); the layer computes from the returned value. */
  layerInput(module: Module, x: Value): Value {
    return this.hooks.taps === false ? x : tapLayerInput(x, this.label(module));
  }

  /**
   * Records a parameterized layer's application (`input` as returned by
   * {@link ForwardContext.layerInput}) and returns its output marked as the
   * layer's output tap, or the replacement a {@link ForwardHooks.layerOutput}
   * hook gave.
   */
  layer(module: Module, input: Value, output: Value): Value {
    const label = this.label(module);
    const tapped = this.hooks.taps === false ? output : tapLayerOutput(output, label);
    const parameterNames = module.namedParameters(this.prefix).map(([name]) => name);
    const record: LayerRecord = { name: this.prefix, label, kind: module.kind, module, parameterNames, input, output: tapped };
    this.records.push(record);
    return this.hooks.layerOutput?.(record) ?? tapped;
  }

  /** The layers recorded so far, in the order they were applied. */
  get layers(): readonly LayerRecord[] {
    return this.records;
  }
}
