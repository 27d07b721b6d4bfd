/**
 * The module contract: a tree of layers that owns host tensors (parameters
 * and buffers) and describes its computation as a traced forward over
 * symbolic values.
 *
 * A module never bakes its tensors into a program. Its forward reads each
 * parameter through the {@link ForwardContext} (`ctx.parameter("weight")`),
 * which hands out a program input, so one traced program serves every value
 * of the parameters (training, loading, perturbing). `traceModel` in
 * `trace-model.ts` turns a model plus a data spec into a {@link Program}
 * whose inputs are the data, then every parameter in {@link Module.namedParameters}
 * order, then the buffers and random draws the forward read.
 */
import { DTypeError, isFloat, ShapeError, Tensor, ValueError, formatShape, type FloatDType } from "@curv/tensor";
import type { Value } from "../core/value.js";
import type { ForwardContext } from "./forward-context.js";

/** A state dict: parameter and persistent-buffer tensors by their dotted names (`"0.weight"`), in PyTorch order. */
export type StateDict = Record<string, Tensor>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Whether missing or unexpected keys are an error (PyTorch's default, `true`). */
  readonly strict?: boolean;
}

/** What {@link Module.loadStateDict} did not match (both empty after a strict load). */
export interface LoadStateDictResult {
  readonly missingKeys: readonly string[];
  readonly unexpectedKeys: readonly string[];
}

/**
 * The base of every layer and container; corresponds to PyTorch's
 * `torch.nn.Module`.
 *
 * A subclass registers its parameters, buffers and children in its
 * constructor (registration order is PyTorch's order) and implements
 * {@link Module.forward}. Parameters are named as PyTorch names them:
 * own tensors by their attribute name (`weight`, `bias`), children's
 * tensors prefixed by the child's name (`0.weight`).
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(7, 5, { generator }), new ReLU(), new Linear(5, 3, { generator }));
 * model.namedParameters().map(([name, p]) => `${name} ${p.shape}`);
 * // ["0.weight 5,7", "0.bias 5", "2.weight 3,5", "2.bias 3"]
 * model.eval();
 * const state = model.stateDict();
 * model.loadStateDict(state);            // strict: every key must match
 * ```
 */
export abstract class Module {
  /** The layer's kind, PyTorch's class name (`"Linear"`, `"Conv2d"`, ...), used to identify layers for curvature approximations. */
  abstract readonly kind: string;
  /** Training mode (PyTorch's default) or evaluation mode; see {@link Module.train} and {@link Module.eval}. */
  training = true;

  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, { tensor: Tensor; persistent: boolean }>();
  private readonly ownChildren = new Map<string, Module>();

  /**
   * The traced computation: `x` is the layer's input; parameters, buffers
   * and random draws come from `ctx`. Layers with parameters report
   * themselves with `ctx.layer(...)` so curvature code can find their inputs
   * and outputs.
   */
  abstract forward(x: Value, ctx: ForwardContext): Value;

  /** Registers (or replaces) an own parameter. */
  protected registerParameter(name: string, tensor: Tensor): void {
    this.assertFreeName(name, this.ownParameters);
    if (!isFloat(tensor.dtype)) throw new DTypeError(`${this.kind}: parameter "${name}" must be float32 or float64, got ${tensor.dtype}`);
    this.ownParameters.set(name, tensor);
  }

  /** Registers an own buffer: state that is not trained (BatchNorm's running statistics). Non-persistent buffers stay out of the state dict. */
  protected registerBuffer(name: string, tensor: Tensor, { persistent = true }: { persistent?: boolean } = {}): void {
    this.assertFreeName(name, this.ownBuffers);
    this.ownBuffers.set(name, { tensor, persistent });
  }

  /** Registers a child module under `name` (Sequential uses `"0"`, `"1"`, ...). */
  protected registerModule(name: string, module: Module): void {
    this.assertFreeName(name, this.ownChildren);
    if (!(module instanceof Module)) throw new ValueError(`${this.kind}: child "${name}" is not a Module`);
    this.ownChildren.set(name, module);
  }

  private assertFreeName(name: string, table: Map<string, unknown>): void {
    if (typeof name !== "string" || name === "" || name.includes(".")) {
      throw new ValueError(`${this.kind}: a parameter, buffer or child name must be non-empty and without ".", got ${JSON.stringify(name)}`);
    }
    const taken = [this.ownParameters, this.ownBuffers, this.ownChildren].some((t) => t !== table && t.has(name));
    if (taken) throw new ValueError(`${this.kind}: the name "${name}" is already taken`);
  }

  /** An own parameter (throws when there is none of that name). */
  protected ownParameter(name: string): Tensor {
    const tensor = this.ownParameters.get(name);
    if (tensor === undefined) throw new ValueError(`${this.kind}: no parameter "${name}"`);
    return tensor;
  }

  /** An own buffer (throws when there is none of that name). */
  protected ownBuffer(name: string): Tensor {
    const entry = this.ownBuffers.get(name);
    if (entry === undefined) throw new ValueError(`${this.kind}: no buffer "${name}"`);
    return entry.tensor;
  }

  /** The direct children with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.ownChildren];
  }

  /** The direct children, in registration order. */
  children(): Module[] {
    return [...this.ownChildren.values()];
  }

  /** This module (name `""`) and all descendants with dotted names, depth first, as PyTorch's `named_modules()`. */
  namedModules(prefix = ""): [string, Module][] {
    const result: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.ownChildren) result.push(...child.namedModules(joinName(prefix, name)));
    return result;
  }

  /** Every parameter with its dotted name: own ones first, then each child's, recursively (PyTorch's `named_parameters()` order). */
  namedParameters(prefix = ""): [string, Tensor][] {
    const result: [string, Tensor][] = [...this.ownParameters].map(([name, t]) => [joinName(prefix, name), t]);
    for (const [name, child] of this.ownChildren) result.push(...child.namedParameters(joinName(prefix, name)));
    return result;
  }

  /** Every parameter, in {@link Module.namedParameters} order. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Every buffer (persistent or not) with its dotted name, in PyTorch's `named_buffers()` order. */
  namedBuffers(prefix = ""): [string, Tensor][] {
    const result: [string, Tensor][] = [...this.ownBuffers].map(([name, { tensor }]) => [joinName(prefix, name), tensor]);
    for (const [name, child] of this.ownChildren) result.push(...child.namedBuffers(joinName(prefix, name)));
    return result;
  }

  /** The total number of parameter entries. */
  get numParameters(): number {
    return this.parameters().reduce((n, t) => n + t.size, 0);
  }

  /** Sets training mode on this module and every descendant (Dropout draws masks; BatchNorm uses batch statistics). */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /** Sets evaluation mode on this module and every descendant (`train(false)`). */
  eval(): this {
    return this.train(false);
  }

  /**
   * Whether two forward passes on the same data give the same result.
   * False when some layer draws random numbers (Dropout in training mode);
   * curvature operators check it before assuming a fixed function.
   */
  get isDeterministic(): boolean {
    return this.children().every((child) => child.isDeterministic);
  }

  /**
   * Checks a batch of data on the host before it is fed to a program, for
   * what its traced type cannot say: token ids outside an embedding's rows
   * (which a one-hot lookup would silently map to a zero vector). Throws a
   * ValueError naming `name` and the offending value. By default it checks
   * nothing; modules that read their input as ids override it (an imported
   * ONNX model with an embedding Gather on its input), and `Sequential`
   * asks its first layer.
   *
   * @example
   * ```ts
   * model.checkData(X, "X");   // X: int64 token ids [N, T]
   * ```
   */
  checkData(data: Tensor, name = "X"): void {
    void data;
    void name;
  }

  /**
   * Converts every floating-point parameter and buffer to `dtype`
   * (PyTorch's `.to(dtype)`, `.double()`), in place; returns the module.
   */
  to(dtype: FloatDType): this {
    if (!isFloat(dtype)) throw new DTypeError(`to: expected float32 or float64, got ${String(dtype)}`);
    for (const [, module] of this.namedModules()) {
      for (const [name, t] of module.ownParameters) module.ownParameters.set(name, t.dtype === dtype ? t : t.astype(dtype));
      for (const [name, b] of module.ownBuffers) {
        if (isFloat(b.tensor.dtype) && b.tensor.dtype !== dtype) module.ownBuffers.set(name, { ...b, tensor: b.tensor.astype(dtype) });
      }
    }
    return this;
  }

  /** Parameters and persistent buffers by dotted name, each module's own tensors before its children's (PyTorch's `state_dict()` order). The tensors are copies. */
  stateDict(prefix = ""): StateDict {
    const result: StateDict = {};
    for (const [name, t] of this.ownParameters) result[joinName(prefix, name)] = t.clone();
    for (const [name, b] of this.ownBuffers) if (b.persistent) result[joinName(prefix, name)] = b.tensor.clone();
    for (const [name, child] of this.ownChildren) Object.assign(result, child.stateDict(joinName(prefix, name)));
    return result;
  }

  /**
   * Copies tensors from `dict` into the parameters and persistent buffers
   * of the same names, converting to each one's dtype (as PyTorch's
   * `load_state_dict`). Everything is checked before anything changes: a
   * shape mismatch is a {@link ShapeError} naming the key; under `strict`
   * (default) missing or unexpected keys are a {@link ValueError} listing
   * them. Without `strict`, the unmatched keys are returned.
   */
  loadStateDict(dict: Readonly<Record<string, Tensor>>, { strict = true }: LoadStateDictOptions = {}): LoadStateDictResult {
    if (dict === null || typeof dict !== "object") throw new ValueError(`loadStateDict: expected an object of tensors, got ${String(dict)}`);
    const slots = this.stateSlots();
    const missingKeys = [...slots.keys()].filter((key) => !Object.hasOwn(dict, key));
    const unexpectedKeys = Object.keys(dict).filter((key) => !slots.has(key));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [
        missingKeys.length > 0 ? `missing keys: ${missingKeys.map((k) => `"${k}"`).join(", ")}` : "",
        unexpectedKeys.length > 0 ? `unexpected keys: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}` : "",
      ].filter((p) => p !== "");
      throw new ValueError(`loadStateDict (strict): ${parts.join("; ")}`);
    }
    const updates: [StateSlot, Tensor][] = [];
    for (const [key, slot] of slots) {
      if (!Object.hasOwn(dict, key)) continue;
      const given = dict[key];
      if (!(given instanceof Tensor)) throw new ValueError(`loadStateDict: "${key}" is not a Tensor`);
      const current = slot.get();
      if (given.shape.length !== current.shape.length || given.shape.some((d, i) => d !== current.shape[i])) {
        throw new ShapeError(`loadStateDict: "${key}" has shape ${formatShape(given.shape)} in the state dict but ${formatShape(current.shape)} in the model`);
      }
      updates.push([slot, given.astype(current.dtype)]);
    }
    for (const [slot, tensor] of updates) slot.set(tensor);
    return { missingKeys, unexpectedKeys };
  }

  /** Every state-dict entry of the tree as a getter and setter, by dotted name. */
  private stateSlots(prefix = "", slots = new Map<string, StateSlot>()): Map<string, StateSlot> {
    for (const name of this.ownParameters.keys()) {
      slots.set(joinName(prefix, name), { get: () => this.ownParameters.get(name) as Tensor, set: (t) => this.ownParameters.set(name, t) });
    }
    for (const [name, b] of this.ownBuffers) {
      if (!b.persistent) continue;
      const table = this.ownBuffers;
      slots.set(joinName(prefix, name), { get: () => this.ownBuffer(name), set: (t) => table.set(name, { persistent: true, tensor: t }) });
    }
    for (const [name, child] of this.ownChildren) child.stateSlots(joinName(prefix, name), slots);
    return slots;
  }

  /** `Linear(in_features=7, out_features=5, bias=true)`: the kind and the constructor arguments that matter. */
  toString(): string {
    return this.kind;
  }
}

interface StateSlot {
  get(): Tensor;
  set(tensor: Tensor): void;
}

/** `prefix.name`, or `name` at the root. */
export function joinName(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}.${name}`;
}
