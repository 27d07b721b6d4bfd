/**
 * The program inputs a model's forward reads: one per parameter (made
 * eagerly, in parameter order, so every program of a model has the same
 * parameter inputs), one per buffer the forward uses and one per random
 * draw (both made on first use and shared by every later forward, so a
 * model traced twice, as in a JVP and a VJP, still reads one input per name).
 */
import { formatShape, ShapeError, ValueError, type Dim, type DType, type Generator, type Tensor } from "@curv/tensor";
import { input } from "../core/leaves.js";
import type { Value } from "../core/value.js";
import type { Module } from "./module.js";

/** A random draw a forward asks for: its type, and how the host draws it for a concrete shape. */
export interface RandomInputSpec {
  readonly dtype: DType;
  /** The shape, possibly with symbolic extents (the batch), bound when the program is fed. */
  readonly shape: readonly Dim[];
  /** Draws the tensor to feed, of the concrete `shape`. */
  readonly draw: (generator: Generator, shape: readonly number[]) => Tensor;
}

/** A random draw as a program input. */
export interface RandomInput extends RandomInputSpec {
  readonly name: string;
  readonly value: Value;
}

interface SharedLeaves {
  readonly buffers: Map<string, Value>;
  readonly randoms: Map<string, RandomInput>;
}

/**
 * The leaves of a model: its parameters, buffers and random draws as
 * program inputs named by their dotted names (`"0.weight"`).
 *
 * @example
 * ```ts
 * const leaves = ModelInputs.of(model);
 * const x = input("x", "float64", ["batch", 7]);
 * const y = model.forward(x, new ForwardContext(leaves));
 * const program = makeProgram("model", [x, ...leaves.values], [{ name: "output", value: y }]);
 * ```
 */
export class ModelInputs {
  readonly model: Module;
  /** The parameters' dotted names, in {@link Module.namedParameters} order. */
  readonly parameterNames: readonly string[];
  private readonly parameterValues: ReadonlyMap<string, Value>;
  private readonly shared: SharedLeaves;

  private constructor(model: Module, parameters: ReadonlyMap<string, Value>, shared: SharedLeaves) {
    this.model = model;
    this.parameterNames = [...parameters.keys()];
    this.parameterValues = parameters;
    this.shared = shared;
  }

  /** Fresh inputs for every parameter of `model`, typed like its current tensors. */
  static of(model: Module): ModelInputs {
    const parameters = new Map(model.namedParameters().map(([name, t]) => [name, input(name, t.dtype, t.shape)] as const));
    return new ModelInputs(model, parameters, { buffers: new Map(), randoms: new Map() });
  }

  /**
   * The same leaves with the parameters replaced by `values` (in parameter
   * order), e.g. the primals a `vjp` hands to the function it differentiates.
   * Buffers and random draws stay shared.
   */
  withParameters(values: readonly Value[]): ModelInputs {
    if (values.length !== this.parameterNames.length) {
      throw new ValueError(`withParameters: the model has ${this.parameterNames.length} parameters, got ${values.length} values`);
    }
    const replaced = new Map<string, Value>();
    this.parameterNames.forEach((name, i) => {
      const expected = this.parameterValues.get(name) as Value;
      const given = values[i];
      if (given.dtype !== expected.dtype || given.rank !== expected.rank || given.shape.some((d, a) => d !== expected.shape[a])) {
        throw new ShapeError(`withParameters: "${name}" is ${expected}, got ${given}`);
      }
      replaced.set(name, given);
    });
    return new ModelInputs(this.model, replaced, this.shared);
  }

  /** The parameter inputs, in parameter order. */
  get parameters(): Value[] {
    return this.parameterNames.map((name) => this.parameterValues.get(name) as Value);
  }

  /** The parameter `name` (dotted). */
  parameter(name: string): Value {
    const value = this.parameterValues.get(name);
    if (value === undefined) throw new ValueError(`the model has no parameter "${name}" (it has ${this.parameterNames.map((n) => `"${n}"`).join(", ")})`);
    return value;
  }

  /** The buffer `name` (dotted) as an input, made on first use. */
  buffer(name: string): Value {
    const cached = this.shared.buffers.get(name);
    if (cached !== undefined) return cached;
    const tensor = this.model.namedBuffers().find(([n]) => n === name)?.[1];
    if (tensor === undefined) throw new ValueError(`the model has no buffer "${name}"`);
    const value = input(name, tensor.dtype, tensor.shape);
    this.shared.buffers.set(name, value);
    return value;
  }

  /** The random draw `name` (dotted) as an input, made on first use; a later request must ask for the same type. */
  random(name: string, spec: RandomInputSpec): Value {
    const cached = this.shared.randoms.get(name);
    if (cached !== undefined) {
      if (cached.dtype !== spec.dtype || formatShape(cached.shape) !== formatShape(spec.shape)) {
        throw new ShapeError(`random input "${name}" was first asked for as ${cached.value}, now as ${spec.dtype} ${formatShape(spec.shape)}`);
      }
      return cached.value;
    }
    const value = input(name, spec.dtype, spec.shape);
    this.shared.randoms.set(name, { ...spec, name, value });
    return value;
  }

  /** The buffers used so far, in {@link Module.namedBuffers} order. */
  get buffers(): Value[] {
    return this.model.namedBuffers().flatMap(([name]) => {
      const value = this.shared.buffers.get(name);
      return value === undefined ? [] : [value];
    });
  }

  /** The random draws asked for so far, in the order they were first asked for. */
  get randoms(): RandomInput[] {
    return [...this.shared.randoms.values()];
  }

  /**
   * The model's current parameter tensors and the buffers the forward read,
   * by input name: the feeds of every leaf but the random draws. Throws
   * when the model's tensors no longer fit the traced inputs (after `to()`).
   *
   * @example
   * ```ts
   * const result = await compiled.run({ x, y, ...leaves.tensors() });
   * ```
   */
  tensors(): Record<string, Tensor> {
    const current = new Map([...this.model.namedParameters(), ...this.model.namedBuffers()]);
    const feeds: Record<string, Tensor> = {};
    for (const value of [...this.parameters, ...this.buffers]) {
      const name = value.source.kind === "input" ? value.source.name : "";
      const tensor = current.get(name);
      if (tensor === undefined) throw new ValueError(`the model no longer has "${name}"; trace it again`);
      if (tensor.dtype !== value.dtype || tensor.shape.length !== value.rank || tensor.shape.some((d, i) => d !== value.shape[i])) {
        throw new ShapeError(`"${name}" is ${tensor.dtype} ${formatShape(tensor.shape)} in the model but ${value} in the program; trace it again`);
      }
      feeds[name] = tensor;
    }
    return feeds;
  }

  /** Every leaf as a program input list: parameters, then buffers, then random draws. */
  get values(): Value[] {
    return [...this.parameters, ...this.buffers, ...this.randoms.map((r) => r.value)];
  }
}
